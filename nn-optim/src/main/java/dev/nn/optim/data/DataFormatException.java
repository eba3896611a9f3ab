package dev.nn.optim.data;

import java.io.IOException;
import java.nio.file.Path;

/** Thrown for a data file that is not what its reader expects; names the path and the reason. */
public class DataFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception for {@code path} with the reason. */
    public DataFormatException(Path path, String reason) {
        super(path + ": " + reason);
    }
}
