package dev.nn.layers.io;

import java.io.IOException;
import java.nio.file.Path;

/** Thrown for a weight file that is not valid safetensors (or not what we can load); names the path and the reason. */
public class SafetensorsException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception for {@code path} with the reason. */
    public SafetensorsException(Path path, String reason) {
        super(path + ": " + reason);
    }
}
