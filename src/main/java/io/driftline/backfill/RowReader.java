package io.driftline.backfill;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** The rows of one history file in file order. */
interface RowReader extends Closeable {

    /** The next row; null at the end of the file. A row that is bad as a whole throws, and the next call reads on. */
    HistoryRow next() throws IOException, RowException;

    /** The header's columns, for formats that have one. */
    Optional<List<String>> columns();

    /** Bytes of the file (as stored, compressed or not) read so far. */
    long bytesRead();
}
