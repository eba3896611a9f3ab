package dev.nn.layers.io;

import java.io.IOException;
import java.security.SecureRandom;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that a crash at any point leaves either the old file or the complete new one:
 * the content goes to a temporary file in the same directory, is forced to disk, then renamed
 * over the target atomically, and the directory entry is forced too. Files and directories are
 * created with the permissions the process's umask gives (not the 0600 and 0700 of Java's
 * temporary files), and every failure names the path.
 */
public final class AtomicFiles {

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    /** Writes the content of a file to an open channel. */
    @FunctionalInterface
    public interface Content {
        /** Writes everything to {@code channel}. */
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Replaces {@code target} with what {@code content} writes, atomically. On failure the target is untouched. */
    public static void write(Path target, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path tmp = null;
        boolean moved = false;
        try {
            FileChannel channel = null;
            for (int attempt = 0; channel == null; attempt++) {
                tmp = dir.resolve("." + absolute.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
                try {
                    channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    if (attempt == 10) {
                        throw e;
                    }
                }
            }
            try (FileChannel c = channel) {
                content.writeTo(c);
                c.force(true);
            }
            Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            forceDirectory(dir);
        } catch (IOException e) {
            throw naming(absolute, e);
        } finally {
            if (!moved && tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Creates a new directory in {@code dir} named {@code prefix} and a random suffix, with the
     * permissions the umask gives, for content to be renamed into place.
     */
    public static Path createTempDirectory(Path dir, String prefix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path d = dir.resolve(prefix + Long.toHexString(RANDOM.nextLong()));
            try {
                return Files.createDirectory(d);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) {
                    throw naming(d, e);
                }
            } catch (IOException e) {
                throw naming(d, e);
            }
        }
    }

    /** Returns {@code e}, or where its message lacks the path (a full disk says only "No space left on device"), one that names it. */
    private static IOException naming(Path path, IOException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains(path.toString()) || (e instanceof FileSystemException f && f.getFile() != null)) {
            return e;
        }
        return new IOException(path + ": " + message, e);
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a directory; the rename itself is still atomic.
        }
    }
}
