package dev.fwpolicy.sidecar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {
    @TempDir
    Path dir;

    static final String OLD = """
            policy web {
              default inbound deny
              inbound {
                allow established
                allow tcp from 192.168.10.0/24 to port 443 "office"
                reject udp to port 53
              }
            }
            """;

    Path write(String name, String text) throws Exception {
        var p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void equivalentPoliciesInOtherFilesGiveNoChange() throws Exception {
        var old = write("old/web.fwpolicy", OLD);
        // Another layout of the same rules: a directory, comments, other spacing.
        write("new/a.fwpolicy", OLD.replace("  inbound {", "  # moved\n  inbound   {"));
        var r = CliRun.of("compare", old.toString(), dir.resolve("new").toString(), "--fail-on", "any");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("no change: both decide every packet alike\n");
    }

    @Test
    void namesEachClassWithTheDecidingRulesBeforeAndAfter() throws Exception {
        var old = write("old.fwpolicy", OLD);
        var now = write("new.fwpolicy", OLD.replace("192.168.10.0/24 to port 443", "192.168.10.0/25 to port { 443, 8443 }"));
        var r = CliRun.of("compare", old.toString(), now.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                closed  inbound ipv4 tcp from 192.168.10.128/25 to any port 443  (new, not via lo)
                  before: allow by %1$s:5:5: allow tcp from 192.168.10.0/24 to port 443 "office"  [policy web]
                  after:  deny by %2$s:2:3: default inbound deny  [policy web]
                opened  inbound ipv4 tcp from 192.168.10.0/25 to any port 8443  (new, not via lo)
                  before: deny by %1$s:2:3: default inbound deny  [policy web]
                  after:  allow by %2$s:5:5: allow tcp from 192.168.10.0/25 to port { 443, 8443 } "office"  [policy web]
                2 changes: 1 opened, 1 closed
                """.formatted(old, now));
        assertThat(CliRun.of("compare", old.toString(), now.toString(), "--fail-on", "opened").exitCode()).isEqualTo(1);
        assertThat(CliRun.of("compare", old.toString(), now.toString(), "--fail-on", "closed").exitCode()).isEqualTo(1);
        var onlyOpened = write("wider.fwpolicy", OLD.replace("port 443", "port { 443, 8443 }"));
        assertThat(CliRun.of("compare", old.toString(), onlyOpened.toString(), "--fail-on", "closed").exitCode()).isZero();
        assertThat(CliRun.of("compare", old.toString(), onlyOpened.toString(), "--fail-on", "opened").exitCode()).isEqualTo(1);
    }

    @Test
    void jsonListsTheChangesAsRanges() throws Exception {
        var old = write("old.fwpolicy", OLD);
        var now = write("new.fwpolicy", OLD.replace("reject udp to port 53", "reject udp to port 53-60"));
        var r = CliRun.of("compare", old.toString(), now.toString(), "--format", "json", "--fail-on", "any");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        var json = r.json();
        assertThat(json.getInteger("changeCount")).isEqualTo(2);
        assertThat(json.getInteger("closedCount")).isZero();
        assertThat(json.getInteger("openedCount")).isZero();
        for (var family : new String[] {"ipv4", "ipv6"}) {
            var c = json.getJsonArray("changes").stream().map(JsonObject.class::cast)
                    .filter(x -> x.getString("family").equals(family)).findFirst().orElseThrow();
            assertThat(c.getString("effect")).isEqualTo("changed");
            assertThat(c.getString("direction")).isEqualTo("inbound");
            assertThat(c.getString("protocol")).isEqualTo("udp");
            assertThat(c.getJsonArray("destinationPorts").getList()).containsExactly("54-60");
            assertThat(c.getJsonArray("sourcePorts").getList()).containsExactly("0-65535");
            assertThat(c.getJsonArray("sources").getList()).containsExactly(family.equals("ipv4") ? "0.0.0.0/0" : "::/0");
            assertThat(c.getString("state")).isEqualTo("new");
            assertThat(c.getBoolean("loopback")).isFalse();
            assertThat(c.getJsonObject("before").getString("verdict")).isEqualTo("deny");
            assertThat(c.getJsonObject("before").getString("location")).isEqualTo(old + ":2:3");
            assertThat(c.getJsonObject("after").getString("verdict")).isEqualTo("reject");
            assertThat(c.getJsonObject("after").getJsonObject("rule").getString("location")).isEqualTo(now + ":6:5");
        }
    }

    @Test
    void dynamicSetsCompareWithTheMembersOfTheClusterState() throws Exception {
        // The exporter port moves from the scrapers to the frontend pods: with shop.json's members
        // that closes it for prometheus (10.244.3.5) and opens it for the frontend pods.
        var shop = Path.of("../examples/policies/shop/shop-db.fwpolicy");
        var old = write("old/shop-db.fwpolicy", Files.readString(shop));
        var now = write("new/shop-db.fwpolicy", Files.readString(shop).replace("allow tcp from $scrapers to port 9187",
                "allow tcp from $frontend to port 9187"));
        var withoutMembers = CliRun.of("compare", old.toString(), now.toString());
        assertThat(withoutMembers.exitCode()).isEqualTo(1);
        assertThat(withoutMembers.err()).contains("error[no-cluster-state]");

        var r = CliRun.of("compare", "--cluster-state", "../examples/cluster-state/shop.json", old.toString(), now.toString(),
                "--format", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        var changes = r.json().getJsonArray("changes").stream().map(JsonObject.class::cast).toList();
        assertThat(changes).allSatisfy(c -> assertThat(c.getJsonArray("destinationPorts").getList()).containsExactly("9187"));
        var closed = changes.stream().filter(c -> c.getString("effect").equals("closed"))
                .flatMap(c -> c.getJsonArray("sources").getList().stream()).toList();
        var opened = changes.stream().filter(c -> c.getString("effect").equals("opened"))
                .flatMap(c -> c.getJsonArray("sources").getList().stream()).toList();
        assertThat(closed).contains("10.244.3.5/32", "fd00:10:244:3::5/128");
        assertThat(opened).contains("10.244.1.31/32", "fd00:10:244:2::17/128");
        // The office is a client of postgres only: untouched by the change.
        assertThat(closed).noneMatch(a -> a.toString().startsWith("192.168.10."));
        assertThat(opened).noneMatch(a -> a.toString().startsWith("192.168.10."));
    }

    @Test
    void aPolicyThatDoesNotCompileFailsWithItsDiagnostics() throws Exception {
        var old = write("old.fwpolicy", OLD);
        var bad = write("bad.fwpolicy", OLD.replace("192.168.10.0/24", "192.168.10.0/33"));
        var r = CliRun.of("compare", old.toString(), bad.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains(bad + ":5:").contains("error[").contains("does not compile");
        assertThat(CliRun.of("compare", old.toString(), dir.resolve("missing").toString()).exitCode()).isEqualTo(2);
    }
}
