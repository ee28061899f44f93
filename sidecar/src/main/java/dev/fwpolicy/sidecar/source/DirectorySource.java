package dev.fwpolicy.sidecar.source;

import dev.fwpolicy.engine.source.SourceFile;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A directory of {@code .fwpolicy} files, e.g. a ConfigMap volume. The kubelet updates such a
 * volume by writing a new hidden timestamped directory and renaming a {@code ..data_tmp}
 * symlink over {@code ..data}; the visible files are symlinks through {@code ..data} and never
 * change themselves. So the directory is watched, not the files, and any event in it (create,
 * modify, delete; a rename arrives as delete + create) starts a debounce timer; when it fires
 * the whole directory is read again and delivered only if the content differs from what was
 * delivered last. One swap therefore makes one update, however many events it fires.
 *
 * <p>A watch follows a directory's inode, not its path: after {@code mv pol pol.old; mkdir pol}
 * it would keep reporting {@code pol.old}. So the parent directory is watched too (for entries
 * named like ours), every reload compares each watched path's file key with the one registered
 * and registers the path again when they differ, and a directory moved or deleted away is
 * reported as gone on that same event rather than at the next resync.
 */
public final class DirectorySource implements PolicySource {
    private static final System.Logger LOG = System.getLogger("fwpolicy.source.dir");

    private final Path dir;
    private final Duration debounce;
    private Vertx vertx;
    private Context context;
    private Consumer<SourceUpdate> updates;
    private WatchService watcher;
    private Thread watchThread;
    // Touched from the watch thread and from workers.
    private final Map<Path, Registration> watched = new java.util.concurrent.ConcurrentHashMap<>();
    private Optional<WatchKey> parentKey = Optional.empty();
    private long debounceTimer = -1;
    private Optional<List<SourceFile>> lastDelivered = Optional.empty();
    private boolean gone;

    /** A watched directory: which inode ({@code fileKey}) the watch follows. */
    private record Registration(Object fileKey, WatchKey key) {}

    public DirectorySource(Path dir, Duration debounce) {
        this.dir = dir.toAbsolutePath().normalize();
        this.debounce = debounce;
    }

    @Override
    public String description() {
        return "dir:" + dir;
    }

    @Override
    public Future<Void> start(Vertx vertx, Consumer<SourceUpdate> updates) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.updates = updates;
        try {
            watcher = FileSystems.getDefault().newWatchService();
        } catch (IOException e) {
            return Future.failedFuture(e);
        }
        Path parent = dir.getParent();
        if (parent != null) {
            try {
                parentKey = Optional.of(parent.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY));
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot watch " + parent + " for " + dir.getFileName() + " being replaced: " + e.getMessage());
            }
        }
        watchThread = new Thread(this::watchLoop, "fwpolicy-dir-watch");
        watchThread.setDaemon(true);
        watchThread.start();
        return reload();
    }

    @Override
    public void poll() {
        reload();
    }

    @Override
    public Future<Void> stop() {
        try {
            if (watcher != null) watcher.close();
        } catch (IOException ignored) {
            // closing is best effort; the thread ends on ClosedWatchServiceException either way
        }
        if (debounceTimer != -1) vertx.cancelTimer(debounceTimer);
        return Future.succeededFuture();
    }

    /** On the watch thread: block for events, hand them to the event loop as "something changed". */
    private void watchLoop() {
        try {
            while (true) {
                var key = watcher.take();
                var events = key.pollEvents();
                // In the parent only our own entry matters (created, moved in or out, deleted).
                boolean relevant = parentKey.map(p -> p != key).orElse(true) || events.stream().anyMatch(e ->
                        e.kind() == StandardWatchEventKinds.OVERFLOW || dir.getFileName().equals(e.context()));
                // An invalid key means the directory itself went away: register it again when it is back.
                if (!key.reset()) {
                    Path where = (Path) key.watchable();
                    watched.computeIfPresent(where, (p, r) -> r.key() == key ? null : r);
                }
                if (relevant) context.runOnContext(v -> changed());
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // stopped
        }
    }

    private void changed() {
        if (debounceTimer != -1) vertx.cancelTimer(debounceTimer);
        debounceTimer = vertx.setTimer(Math.max(1, debounce.toMillis()), id -> {
            debounceTimer = -1;
            reload();
        });
    }

    /** Reads the directory off the event loop and delivers the result on it when it changed. */
    private Future<Void> reload() {
        return vertx.executeBlocking(this::readAndWatch, true).map(read -> {
            if (read instanceof SourceUpdate.Loaded loaded) {
                if (lastDelivered.equals(Optional.of(loaded.files())) && !gone) return null;
                lastDelivered = Optional.of(loaded.files());
                gone = false;
            } else if (read instanceof SourceUpdate.Gone) {
                if (gone) return null;
                gone = true;
            } else {
                lastDelivered = Optional.empty();
            }
            updates.accept(read);
            return null;
        });
    }

    private SourceUpdate readAndWatch() {
        if (!Files.isDirectory(dir)) {
            watched.values().forEach(r -> r.key().cancel()); // a moved-away copy is no longer the policy
            watched.clear();
            return new SourceUpdate.Gone("directory " + dir + " does not exist");
        }
        registerDirectories();
        try {
            List<SourceFile> files = PolicyInputs.read(List.of(dir));
            return new SourceUpdate.Loaded(files, description());
        } catch (IllegalArgumentException | UncheckedIOException e) {
            return new SourceUpdate.Unreadable(e.getMessage());
        }
    }

    /**
     * The directory and its visible subdirectories (hidden ones are the kubelet's internals),
     * each watched on the inode its path names now: a path whose inode changed (replaced by
     * {@code mv} + {@code mkdir}) is registered again, and watches on inodes no longer under the
     * path (a moved-away old copy) are cancelled.
     */
    private void registerDirectories() {
        var seen = new java.util.HashSet<Path>();
        try (Stream<Path> walk = Files.walk(dir.toRealPath())) { // DIR may be a link: walk its target, name through DIR
            Path real = dir.toRealPath();
            for (Path p : (Iterable<Path>) walk.filter(Files::isDirectory).map(p -> dir.resolve(real.relativize(p).toString()))
                    .filter(p -> p.equals(dir) || !dir.relativize(p).toString().startsWith("."))::iterator) {
                seen.add(p);
                Object fileKey = Files.readAttributes(p, BasicFileAttributes.class).fileKey();
                var current = watched.get(p);
                if (current != null && current.key().isValid() && java.util.Objects.equals(current.fileKey(), fileKey)) continue;
                if (current != null) current.key().cancel();
                watched.put(p, new Registration(fileKey, p.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE)));
            }
        } catch (IOException | ClosedWatchServiceException e) {
            LOG.log(Level.WARNING, "cannot watch " + dir + ": " + e.getMessage());
        }
        watched.entrySet().removeIf(e -> {
            if (seen.contains(e.getKey())) return false;
            e.getValue().key().cancel();
            return true;
        });
    }
}
