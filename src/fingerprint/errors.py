"""Errors a user can act on: bad input files, named in one line."""


class InputError(ValueError):
    """Input that cannot be read as text: a missing file, a directory, binary or undecodable data.

    The message is one line that names the input and says what to do, for example
    ``a.txt: cannot decode as utf-8 (byte 0x93 at offset 120); try --encoding cp1252``.

    >>> str(InputError("a.txt: not found"))
    'a.txt: not found'
    """


class StoreError(InputError):
    """An index database that cannot be used as it is: not an index database, damaged or edited
    (a row whose checksum, type or shape is wrong), of an older format, another recipe or another
    segmentation; a shared index whose server holds a bad record, was made with other parameters,
    or lost writes this process had seen. Nothing is written to it.

    The message names the file and, for a bad row, the table and the row, for example
    ``news.db: row 7 of documents: checksum does not match (edited or damaged)``.

    >>> issubclass(StoreError, ValueError)
    True
    """


class StoreIOError(OSError):
    """The index database could not be written or read: the disk is full, the file or its
    directory is read-only, an I/O error, a shared index's server unreachable after the retries.
    The call that failed changed nothing: the database holds what it held before it, and the
    index in memory follows it again at its next call. (A shared index's write whose answer was
    lost with the connection may have gone in: docs/shared-index.md.)

    >>> str(StoreIOError("news.db: cannot write (database or disk is full)"))
    'news.db: cannot write (database or disk is full)'
    """
