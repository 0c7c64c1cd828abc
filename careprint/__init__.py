"""careprint: accessible, multilingual, printable patient handouts.

Stages (one module each, data flowing one way):
content -> readability -> translation -> render -> pdf, run by build.
"""

__version__ = "0.2.0"
