package dev.fwpolicy.sidecar.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A directory laid out and updated the way the kubelet's AtomicWriter does it for a ConfigMap
 * volume: the data lives in a hidden timestamped directory, {@code ..data} links to it, and
 * each key is a symlink {@code key -> ..data/key}. An update writes a new timestamped
 * directory, points {@code ..data_tmp} at it, renames {@code ..data_tmp} over {@code ..data}
 * (atomic), then deletes the old directory.
 */
public final class KubeletVolume {
    private final Path root;
    private int generation;

    public KubeletVolume(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public void write(Map<String, String> files) throws IOException {
        generation++;
        var data = root.resolve("..2026_11_26_10_00_00." + generation);
        Files.createDirectories(data);
        for (var e : files.entrySet()) Files.writeString(data.resolve(e.getKey()), e.getValue());
        var tmp = root.resolve("..data_tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, data.getFileName());
        Path old = Files.isSymbolicLink(root.resolve("..data")) ? root.resolve(Files.readSymbolicLink(root.resolve("..data"))) : null;
        Files.move(tmp, root.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        for (var key : files.keySet()) {
            var link = root.resolve(key);
            if (!Files.isSymbolicLink(link)) Files.createSymbolicLink(link, Path.of("..data").resolve(key));
        }
        if (old != null) deleteTree(old);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (var p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
