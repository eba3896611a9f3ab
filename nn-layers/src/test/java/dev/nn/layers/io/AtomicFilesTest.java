package dev.nn.layers.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written atomically keep the umask's permissions, and failures name the path. */
class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void filesAndDirectories_getThePermissionsTheUmaskGives() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "no POSIX permissions");
        // What this process's umask gives a plain new file and directory: the written ones must match.
        Path referenceFile = Files.createFile(dir.resolve("reference"));
        Path referenceDir = Files.createDirectory(dir.resolve("reference-dir"));
        Path target = dir.resolve("weights.safetensors");
        AtomicFiles.write(target, channel -> channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3})));
        assertEquals(Files.getPosixFilePermissions(referenceFile), Files.getPosixFilePermissions(target));
        Path tmp = AtomicFiles.createTempDirectory(dir, ".incomplete-");
        assertEquals(Files.getPosixFilePermissions(referenceDir), Files.getPosixFilePermissions(tmp));
    }

    @Test
    void failureWithoutAPath_isReportedWithIt_andLeavesNothing() throws IOException {
        Path target = dir.resolve("w.safetensors");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, channel -> {
            channel.write(ByteBuffer.wrap(new byte[10]));
            throw new IOException("No space left on device");
        }));
        assertEquals(target.toAbsolutePath() + ": No space left on device", e.getMessage());
        assertFalse(Files.exists(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count(), "the temporary file is gone");
        }
    }
}
