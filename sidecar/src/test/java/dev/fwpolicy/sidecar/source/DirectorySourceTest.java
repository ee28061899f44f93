package dev.fwpolicy.sidecar.source;

import dev.fwpolicy.sidecar.loop.LoopSettings;
import dev.fwpolicy.sidecar.testing.FakeFirewall;
import dev.fwpolicy.sidecar.testing.KubeletVolume;
import dev.fwpolicy.sidecar.testing.ServiceHarness;
import dev.fwpolicy.sidecar.testing.TestPolicies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --policy-dir over a real ConfigMap-volume layout and a real ..data symlink swap. */
class DirectorySourceTest {
    @TempDir
    Path tmp;

    private Path dir;

    private String revision(String text) {
        return TestPolicies.compile(dir.toAbsolutePath().resolve("web.fwpolicy").toString(), text).revision();
    }

    @Test
    void symlinkSwapIsAppliedExactlyOnce() throws Exception {
        dir = tmp.resolve("policy");
        var volume = new KubeletVolume(dir);
        volume.write(Map.of("web.fwpolicy", TestPolicies.WEB));
        var firewall = new FakeFirewall();
        try (var svc = new ServiceHarness(firewall, new DirectorySource(volume.root(), Duration.ofMillis(100)),
                ServiceHarness.fastLoop(), Optional.empty(), 4096)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
            // the file name the kubelet shows, not the hidden path behind it
            assertThat(svc.snapshot().policy().orElseThrow().files()).containsExactly(volume.root().toAbsolutePath() + "/web.fwpolicy");
            assertThat(firewall.syncs.get()).isEqualTo(1);

            volume.write(Map.of("web.fwpolicy", TestPolicies.WEB_AND_SSH));
            await().atMost(Duration.ofSeconds(10)).until(() -> firewall.appliedRevision.equals(Optional.of(revision(TestPolicies.WEB_AND_SSH))));
            Thread.sleep(500); // any straggling events of the same swap would sync again by now
            assertThat(firewall.syncs.get()).isEqualTo(2);

            // a swap to identical content changes nothing
            volume.write(Map.of("web.fwpolicy", TestPolicies.WEB_AND_SSH));
            Thread.sleep(500);
            assertThat(firewall.syncs.get()).isEqualTo(2);
        }
    }

    @Test
    void brokenUpdateKeepsLastGoodThenFixApplies() throws Exception {
        dir = tmp.resolve("policy");
        var volume = new KubeletVolume(dir);
        volume.write(Map.of("web.fwpolicy", TestPolicies.WEB));
        var firewall = new FakeFirewall();
        try (var svc = new ServiceHarness(firewall, new DirectorySource(volume.root(), Duration.ofMillis(50)),
                ServiceHarness.fastLoop(), Optional.empty(), 4096)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
            volume.write(Map.of("web.fwpolicy", TestPolicies.BROKEN));
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().problem().isPresent());
            assertThat(firewall.appliedRevision).hasValue(revision(TestPolicies.WEB));
            assertThat(svc.get("/v1/status").json().getJsonObject("lastError").getJsonArray("errors").getJsonObject(0)
                    .getString("location")).contains("web.fwpolicy:4:");

            volume.write(Map.of("web.fwpolicy", TestPolicies.WEB_AND_SSH));
            await().atMost(Duration.ofSeconds(10)).until(() -> firewall.appliedRevision.equals(Optional.of(revision(TestPolicies.WEB_AND_SSH))));
            assertThat(svc.snapshot().problem()).isEmpty();
        }
    }

    @Test
    void plainFilesEditedInPlaceAndNewFilesAreSeen() throws Exception {
        dir = Files.createDirectories(tmp.resolve("plain"));
        Files.writeString(dir.resolve("web.fwpolicy"), TestPolicies.WEB);
        var firewall = new FakeFirewall();
        try (var svc = new ServiceHarness(firewall, new DirectorySource(dir, Duration.ofMillis(50)),
                ServiceHarness.fastLoop(), Optional.empty(), 4096)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
            Files.writeString(dir.resolve("web.fwpolicy"), TestPolicies.WEB_AND_SSH);
            await().atMost(Duration.ofSeconds(10)).until(() -> firewall.appliedRevision.equals(Optional.of(revision(TestPolicies.WEB_AND_SSH))));
            Files.writeString(dir.resolve("notes.txt"), "not a policy");
            Thread.sleep(300);
            assertThat(firewall.syncs.get()).isEqualTo(2);
        }
    }

    @Test
    void missingDirectoryKeepsRulesAndReportsIt() throws Exception {
        dir = Files.createDirectories(tmp.resolve("gone"));
        Files.writeString(dir.resolve("web.fwpolicy"), TestPolicies.WEB);
        var firewall = new FakeFirewall();
        try (var svc = new ServiceHarness(firewall, new DirectorySource(dir, Duration.ofMillis(50)),
                new LoopSettings(Duration.ofMillis(200), Duration.ZERO), Optional.empty(), 4096)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
            Files.delete(dir.resolve("web.fwpolicy"));
            Files.delete(dir);
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().sourceGone().isPresent());
            assertThat(firewall.lines()).isNotEmpty();
            assertThat(firewall.appliedRevision).hasValue(revision(TestPolicies.WEB));
        }
    }

    /**
     * Issue 11 part 2: {@code mv pol pol.old; mkdir pol; cp new pol/}. The resync is 10 minutes
     * away, so only the watch can deliver: the new directory is read at once, every later edit in
     * it too, and edits in the moved-away copy are no longer the policy.
     */
    @Test
    void aReplacedDirectoryIsWatchedAgainAtOnce() throws Exception {
        dir = Files.createDirectories(tmp.resolve("pol"));
        Files.writeString(dir.resolve("web.fwpolicy"), TestPolicies.WEB);
        var firewall = new FakeFirewall();
        try (var svc = new ServiceHarness(firewall, new DirectorySource(dir, Duration.ofMillis(50)),
                ServiceHarness.fastLoop(), Optional.empty(), 4096)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
            Path old = Files.move(dir, tmp.resolve("pol.old"));
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("web.fwpolicy"), TestPolicies.WEB_AND_SSH);
            await().atMost(Duration.ofSeconds(5)).until(() -> firewall.appliedRevision.equals(Optional.of(revision(TestPolicies.WEB_AND_SSH))));

            Files.writeString(old.resolve("web.fwpolicy"), TestPolicies.BROKEN);
            Thread.sleep(300);
            assertThat(svc.snapshot().problem()).as("an edit of the moved-away copy").isEmpty();
            Files.writeString(dir.resolve("web.fwpolicy"), TestPolicies.WEB);
            await().atMost(Duration.ofSeconds(5)).until(() -> firewall.appliedRevision.equals(Optional.of(revision(TestPolicies.WEB))));
            assertThat(svc.snapshot().sourceGone()).isEmpty();
        }
    }

    /** Moved away (no event inside the directory itself): reported at once, the rules stay. */
    @Test
    void aDirectoryMovedAwayIsReportedAtOnce() throws Exception {
        dir = Files.createDirectories(tmp.resolve("pol"));
        Files.writeString(dir.resolve("web.fwpolicy"), TestPolicies.WEB);
        var firewall = new FakeFirewall();
        try (var svc = new ServiceHarness(firewall, new DirectorySource(dir, Duration.ofMillis(50)),
                ServiceHarness.fastLoop(), Optional.empty(), 4096)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
            Files.move(dir, tmp.resolve("pol.old"));
            await().atMost(Duration.ofSeconds(5)).until(() -> svc.snapshot().sourceGone().isPresent());
            assertThat(firewall.appliedRevision).hasValue(revision(TestPolicies.WEB));
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("web.fwpolicy"), TestPolicies.WEB_AND_SSH);
            await().atMost(Duration.ofSeconds(5)).until(() -> firewall.appliedRevision.equals(Optional.of(revision(TestPolicies.WEB_AND_SSH))));
            assertThat(svc.snapshot().sourceGone()).isEmpty();
        }
    }

    /** --policy-dir is a symlink swapped to another directory (a release switch with ln -sfn): followed at once. */
    @Test
    void aSymlinkSwappedToAnotherDirectoryIsFollowedAtOnce() throws Exception {
        Path v1 = Files.createDirectories(tmp.resolve("v1"));
        Path v2 = Files.createDirectories(tmp.resolve("v2"));
        Files.writeString(v1.resolve("web.fwpolicy"), TestPolicies.WEB);
        Files.writeString(v2.resolve("web.fwpolicy"), TestPolicies.WEB_AND_SSH);
        dir = Files.createSymbolicLink(tmp.resolve("current"), v1);
        var firewall = new FakeFirewall();
        try (var svc = new ServiceHarness(firewall, new DirectorySource(dir, Duration.ofMillis(50)),
                ServiceHarness.fastLoop(), Optional.empty(), 4096)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
            Path next = Files.createSymbolicLink(tmp.resolve("current.tmp"), v2);
            Files.move(next, dir, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            await().atMost(Duration.ofSeconds(5)).until(() -> firewall.appliedRevision.equals(Optional.of(revision(TestPolicies.WEB_AND_SSH))));
            Files.writeString(v2.resolve("web.fwpolicy"), TestPolicies.WEB);
            await().atMost(Duration.ofSeconds(5)).until(() -> firewall.appliedRevision.equals(Optional.of(revision(TestPolicies.WEB))));
        }
    }
}
