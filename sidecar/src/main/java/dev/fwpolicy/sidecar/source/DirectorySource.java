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
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
    private final Set<Path> watched = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private long debounceTimer = -1;
    private Optional<List<SourceFile>> lastDelivered = Optional.empty();
    private boolean gone;

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
                key.pollEvents();
                // An invalid key means the directory itself went away: register it again when it is back.
                if (!key.reset()) watched.remove((Path) key.watchable());
                context.runOnContext(v -> changed());
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
        if (!Files.isDirectory(dir)) return new SourceUpdate.Gone("directory " + dir + " does not exist");
        registerDirectories();
        try {
            List<SourceFile> files = PolicyInputs.read(List.of(dir));
            return new SourceUpdate.Loaded(files, description());
        } catch (IllegalArgumentException | UncheckedIOException e) {
            return new SourceUpdate.Unreadable(e.getMessage());
        }
    }

    /** The directory and its visible subdirectories (hidden ones are the kubelet's internals). */
    private void registerDirectories() {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isDirectory)
                    .filter(p -> p.equals(dir) || !dir.relativize(p).toString().startsWith("."))::iterator) {
                if (watched.add(p)) {
                    p.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                            StandardWatchEventKinds.ENTRY_DELETE);
                }
            }
        } catch (IOException | ClosedWatchServiceException e) {
            LOG.log(Level.WARNING, "cannot watch " + dir + ": " + e.getMessage());
        }
    }
}
