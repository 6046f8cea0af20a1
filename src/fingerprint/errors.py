"""Errors a user can act on: bad input files, named in one line."""


class InputError(ValueError):
    """Input that cannot be read as text: a missing file, a directory, binary or undecodable data.

    The message is one line that names the input and says what to do, for example
    ``a.txt: cannot decode as utf-8 (byte 0x93 at offset 120); try --encoding cp1252``.

    >>> str(InputError("a.txt: not found"))
    'a.txt: not found'
    """
