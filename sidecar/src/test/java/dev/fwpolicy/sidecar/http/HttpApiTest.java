package dev.fwpolicy.sidecar.http;

import dev.fwpolicy.sidecar.testing.FakeFirewall;
import dev.fwpolicy.sidecar.testing.ManualSource;
import dev.fwpolicy.sidecar.testing.ServiceHarness;
import dev.fwpolicy.sidecar.testing.TestPolicies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fwpolicy.engine.source.SourceFile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;

/** Every endpoint of the HTTP API over a fake firewall, including the ways a client can get it wrong. */
@ExtendWith(VertxExtension.class)
class HttpApiTest {
    private static final String TOKEN = "s3cret-token";
    private FakeFirewall firewall;
    private ManualSource source;
    private ServiceHarness svc;

    @BeforeEach
    void start() {
        firewall = new FakeFirewall();
        source = new ManualSource(List.of(new SourceFile("web.fwpolicy", TestPolicies.WEB)));
        svc = new ServiceHarness(firewall, source, ServiceHarness.fastLoop(), Optional.of(TOKEN), 4096);
        await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
    }

    @AfterEach
    void stop() throws Exception {
        svc.close();
    }

    private static void assertError(ServiceHarness.Reply r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        var json = r.json();
        assertThat(json.getString("code")).isEqualTo(code);
        assertThat(json.getString("message")).isNotBlank();
        assertThat(json.getJsonArray("errors")).isNotNull();
    }

    /** Endpoint → (method, body, expected status), walked with a Vert.x client, one checkpoint each. */
    @Test
    void everyEndpointAnswersJsonWithTheExpectedStatus(Vertx clientVertx, VertxTestContext test) throws Exception {
        record Call(HttpMethod method, String path, String body, int status, String contentType) {}
        var auth = "Bearer " + TOKEN;
        var calls = List.of(
                new Call(HttpMethod.GET, "/healthz", null, 200, "application/json"),
                new Call(HttpMethod.GET, "/readyz", null, 200, "application/json"),
                new Call(HttpMethod.GET, "/v1/status", null, 200, "application/json"),
                new Call(HttpMethod.GET, "/v1/rules", null, 200, "application/json"),
                new Call(HttpMethod.GET, "/v1/state", null, 200, "application/json"),
                new Call(HttpMethod.GET, "/v1/diff", null, 200, "application/json"),
                new Call(HttpMethod.POST, "/v1/check", TestPolicies.WEB, 200, "application/json"),
                new Call(HttpMethod.POST, "/v1/sync", "", 200, "application/json"),
                new Call(HttpMethod.GET, "/metrics", null, 200, "text/plain"),
                new Call(HttpMethod.GET, "/v1/unknown", null, 404, "application/json"),
                new Call(HttpMethod.PUT, "/v1/rules", "{}", 405, "application/json"));
        var client = clientVertx.createHttpClient();
        var checkpoint = test.checkpoint(calls.size());
        for (var call : calls) {
            var options = new RequestOptions().setMethod(call.method()).setHost("127.0.0.1").setPort(svc.service.port())
                    .setURI(call.path()).putHeader("Authorization", auth);
            client.request(options)
                    .compose(req -> call.body() == null ? req.send() : req.send(Buffer.buffer(call.body())))
                    .compose(resp -> resp.body().map(body -> {
                        test.verify(() -> {
                            assertThat(resp.statusCode()).as(call.path() + ": " + body).isEqualTo(call.status());
                            assertThat(resp.getHeader("content-type")).as(call.path()).startsWith(call.contentType());
                            if (call.contentType().equals("application/json")) assertThat(body.toJsonObject()).isNotNull();
                        });
                        return body;
                    }))
                    .onComplete(test.succeeding(v -> checkpoint.flag()));
        }
        assertThat(test.awaitCompletion(30, TimeUnit.SECONDS)).isTrue();
        if (test.failed()) throw new AssertionError(test.causeOfFailure());
    }

    @Test
    void healthAndReadiness() {
        assertThat(svc.get("/healthz").status()).isEqualTo(200);
        var ready = svc.get("/readyz");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().getString("appliedRevision")).isEqualTo(TestPolicies.compile(TestPolicies.WEB).revision());
    }

    @Test
    void notReadyUntilTheFirstSuccessfulSync() throws Exception {
        var failing = new FakeFirewall();
        failing.failWith = Optional.of("iptables-restore: line 3 failed");
        try (var other = new ServiceHarness(failing, new ManualSource(List.of(new SourceFile("web.fwpolicy", TestPolicies.WEB))),
                ServiceHarness.fastLoop(), Optional.empty(), 4096)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> other.snapshot().lastSync().isPresent());
            assertError(other.get("/readyz"), 503, "NotReady");
            var status = other.get("/v1/status").json();
            assertThat(status.getJsonObject("lastSync").getString("result")).isEqualTo("failed");
            assertThat(status.getJsonObject("lastSync").getString("error")).contains("line 3 failed");
            failing.failWith = Optional.empty();
            assertThat(other.send(HttpRequest.newBuilder(other.uri("/v1/sync")).POST(HttpRequest.BodyPublishers.noBody())).status())
                    .isEqualTo(200);
            assertThat(other.get("/readyz").status()).isEqualTo(200);
        }
    }

    @Test
    void beforeAnyPolicyKernelQuestionsAreConflictsNotErrors() throws Exception {
        var empty = new ManualSource(List.of());
        try (var other = new ServiceHarness(new FakeFirewall(), empty, ServiceHarness.fastLoop(), Optional.empty(), 4096)) {
            for (var path : List.of("/v1/rules", "/v1/state", "/v1/diff")) assertError(other.get(path), 409, "NoPolicy");
            assertError(other.send(HttpRequest.newBuilder(other.uri("/v1/sync")).POST(HttpRequest.BodyPublishers.noBody())),
                    409, "NoPolicy");
            assertError(other.get("/readyz"), 503, "NotReady");
            assertThat(other.get("/v1/status").json().getValue("policy")).isNull();
            empty.load("web.fwpolicy", TestPolicies.BROKEN);
            await().atMost(Duration.ofSeconds(5)).until(() -> other.snapshot().problem().isPresent());
            var conflict = other.get("/v1/rules");
            assertError(conflict, 409, "NoPolicy");
            assertThat(conflict.json().getJsonArray("errors")).isNotEmpty(); // why: the rejected input's diagnostics
        }
    }

    @Test
    void statusNamesRevisionSourceBackendAndLastSync() {
        var status = svc.get("/v1/status");
        assertThat(status.status()).isEqualTo(200);
        var json = status.json();
        var revision = TestPolicies.compile(TestPolicies.WEB).revision();
        assertThat(json.getString("source")).isEqualTo("manual:test");
        assertThat(json.getJsonObject("policy").getString("revision")).isEqualTo(revision);
        assertThat(json.getString("appliedRevision")).isEqualTo(revision);
        assertThat(json.getBoolean("inForce")).isTrue();
        assertThat(json.getJsonObject("backend").getString("version")).isEqualTo("fake 1.0");
        var last = json.getJsonObject("lastSync");
        assertThat(last.getString("result")).isEqualTo("ok");
        assertThat(last.getJsonObject("counts").getInteger("added")).isEqualTo(TestPolicies.compile(TestPolicies.WEB).ruleCount());
        assertThat(json.getValue("lastError")).isNull();
    }

    @Test
    void rulesListEveryCanonicalRuleWithItsSourceLocation() {
        var rs = TestPolicies.compile(TestPolicies.WEB);
        var json = svc.get("/v1/rules").json();
        JsonArray rules = json.getJsonArray("rules");
        assertThat(rules).hasSize(rs.ruleCount());
        assertThat(json.getString("revision")).isEqualTo(rs.revision());
        var web = rules.stream().map(JsonObject.class::cast).filter(r -> "web".equals(r.getString("note"))).toList();
        assertThat(web).isNotEmpty();
        var rule = web.get(0);
        assertThat(rule.getString("location")).isEqualTo("web.fwpolicy:6:5");
        assertThat(rule.getString("action")).isEqualTo("ACCEPT");
        assertThat(rule.getString("iptables")).startsWith("-A FWP-").contains("--dport 80").contains("fwp1:" + rule.getString("id"));
        assertThat(rule.getInteger("position")).isPositive();
    }

    @Test
    void stateMarksTamperedDuplicateAndUnknownRules() {
        var clean = svc.get("/v1/state").json();
        assertThat(clean.getBoolean("inSync")).isTrue();
        assertThat(clean.getJsonObject("summary").getInteger("in-sync")).isEqualTo(TestPolicies.compile(TestPolicies.WEB).ruleCount());

        firewall.tamper(1, " -m comment --comment \"hand edit\"");
        firewall.duplicate(2, 3);
        firewall.addJunk("FWP-IN");
        var damaged = svc.get("/v1/state").json();
        assertThat(damaged.getBoolean("inSync")).isFalse();
        var summary = damaged.getJsonObject("summary");
        assertThat(summary.getInteger("tampered")).isEqualTo(1);
        assertThat(summary.getInteger("duplicate")).isEqualTo(3);
        assertThat(summary.getInteger("unknown")).isEqualTo(1);
        var first = damaged.getJsonArray("rules").getJsonObject(0);
        assertThat(first.getLong("packets")).isEqualTo(7L);
        assertThat(first.getLong("bytes")).isEqualTo(420L);
    }

    @Test
    void diffShowsWhatASyncWouldChangeWithoutApplyingIt() {
        assertThat(svc.get("/v1/diff").json().getBoolean("inSync")).isTrue();
        firewall.delete(0);
        var diff = svc.get("/v1/diff").json();
        assertThat(diff.getBoolean("inSync")).isFalse();
        assertThat(diff.getJsonObject("counts").getInteger("added")).isEqualTo(1);
        assertThat(diff.getJsonArray("changes").getJsonObject(0).getString("status")).isEqualTo("missing-jump");
        // still missing: a diff writes nothing
        assertThat(svc.get("/v1/diff").json().getJsonObject("counts").getInteger("added")).isEqualTo(1);
    }

    @Test
    void checkReturnsDiagnosticsAndNeverApplies() {
        int syncsBefore = firewall.syncs.get();
        var ok = svc.post("/v1/check", "application/json", new JsonObject().put("files", new JsonArray()
                .add(new JsonObject().put("name", "a.fwpolicy").put("text", TestPolicies.WEB_AND_SSH))).encode());
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().getBoolean("ok")).isTrue();
        assertThat(ok.json().getInteger("ruleCount")).isEqualTo(TestPolicies.compile(TestPolicies.WEB_AND_SSH).ruleCount());

        var bad = svc.post("/v1/check", "text/plain", TestPolicies.BROKEN);
        assertThat(bad.status()).isEqualTo(200);
        assertThat(bad.json().getBoolean("ok")).isFalse();
        var errors = bad.json().getJsonArray("errors");
        assertThat(errors).isNotEmpty();
        assertThat(errors.getJsonObject(0).getString("location")).startsWith("request.fwpolicy:4:");
        assertThat(errors.getJsonObject(0).getString("code")).isNotBlank();

        assertThat(firewall.syncs.get()).isEqualTo(syncsBefore);
        assertThat(svc.snapshot().policy().orElseThrow().revision()).isEqualTo(TestPolicies.compile(TestPolicies.WEB).revision());
    }

    @Test
    void checkWithCompareListsWhatTheTextDecidesDifferentlyFromThePolicyInForce() {
        var body = new JsonObject().put("compare", true).put("files", new JsonArray()
                .add(new JsonObject().put("name", "a.fwpolicy").put("text", TestPolicies.WEB_AND_SSH))).encode();
        var reply = svc.post("/v1/check", "application/json", body);
        assertThat(reply.status()).isEqualTo(200);
        var json = reply.json();
        assertThat(json.getBoolean("ok")).isTrue();
        assertThat(json.getString("comparedRevision")).isEqualTo(svc.snapshot().policy().orElseThrow().revision());
        // The same answer as fwpolicy compare: the engine's classes, in the CLI's JSON.
        var expected = dev.fwpolicy.sidecar.json.CompareJson.toJson(dev.fwpolicy.engine.compare.PolicyComparison.compare(
                TestPolicies.compile(TestPolicies.WEB), TestPolicies.compile("a.fwpolicy", TestPolicies.WEB_AND_SSH)));
        assertThat(json.getJsonArray("changes")).isEqualTo(expected.getJsonArray("changes"));
        assertThat(json.getInteger("changeCount")).isEqualTo(1);
        assertThat(json.getInteger("openedCount")).isEqualTo(1);
        var change = json.getJsonArray("changes").getJsonObject(0);
        assertThat(change.getString("effect")).isEqualTo("opened");
        assertThat(change.getJsonArray("sources").getList()).containsExactly("10.1.2.0/24");
        assertThat(change.getJsonArray("destinationPorts").getList()).containsExactly("22");
        assertThat(change.getJsonObject("before").getString("location")).isEqualTo("web.fwpolicy:2:3");
        assertThat(change.getJsonObject("after").getString("location")).isEqualTo("a.fwpolicy:7:5");

        // The policy in force against itself: no change. Without "compare": no changes at all.
        var same = svc.post("/v1/check?compare=true", "text/plain", TestPolicies.WEB).json();
        assertThat(same.getJsonArray("changes")).isEmpty();
        assertThat(svc.post("/v1/check", "text/plain", TestPolicies.WEB_AND_SSH).json().containsKey("changes")).isFalse();
        // A policy with errors is not compared.
        var broken = svc.post("/v1/check?compare=true", "text/plain", TestPolicies.BROKEN).json();
        assertThat(broken.getBoolean("ok")).isFalse();
        assertThat(broken.containsKey("changes")).isFalse();
        assertError(svc.post("/v1/check", "application/json", "{\"text\":\"x\",\"compare\":1}"), 400, "BadField");
    }

    @Test
    void checkWithCompareNeedsAPolicyInForce() throws Exception {
        try (var other = new ServiceHarness(new FakeFirewall(), new ManualSource(List.of()), ServiceHarness.fastLoop(), Optional.empty(), 4096)) {
            assertError(other.post("/v1/check?compare=true", "text/plain", TestPolicies.WEB), 409, "NoPolicy");
            assertThat(other.post("/v1/check", "text/plain", TestPolicies.WEB).status()).isEqualTo(200);
        }
    }

    @Test
    void checkOfBytesThatAreNotUtf8GivesTheSameLocatedErrorAsTheCli() {
        var body = "policy p {\n  # caf\u00e9\n}\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        var r = svc.send(java.net.http.HttpRequest.newBuilder(svc.uri("/v1/check")).header("Content-Type", "text/plain")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().getBoolean("ok")).isFalse();
        var error = r.json().getJsonArray("errors").getJsonObject(0);
        assertThat(error.getString("code")).isEqualTo("encoding");
        assertThat(error.getString("location")).isEqualTo("request.fwpolicy:2:8");
        assertThat(error.getString("message")).contains("0xe9");
    }

    @Test
    void checkRunsTheTestBlocksExpectationsAsTheCliDoes() {
        String text = TestPolicies.WEB + """
                test web {
                  expect allow inbound tcp from 10.1.2.3 to port 80
                  expect allow inbound tcp from 192.168.1.1 to port 80
                }
                """;
        var reply = svc.post("/v1/check", "text/plain", text);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().getBoolean("ok")).isFalse();
        var errors = reply.json().getJsonArray("errors");
        assertThat(errors).hasSize(1);
        assertThat(errors.getJsonObject(0).getString("code")).isEqualTo("expectation-failed");
        // line 11: the second expect, after the 8 lines of the policy and the test header
        assertThat(errors.getJsonObject(0).getString("location")).startsWith("request.fwpolicy:11:");
    }

    @Test
    void badRequestsAreFourHundredsWithJsonErrors() {
        assertError(svc.post("/v1/check", "application/json", "{\"files\": [ {\"name\": "), 400, "BadJson");
        assertError(svc.post("/v1/check", "application/json", "[1,2,3]"), 400, "BadJson");
        assertError(svc.post("/v1/check", "application/json", "{\"files\": [42]}"), 400, "BadField");
        assertError(svc.post("/v1/check", "application/json", "{\"nothing\": true}"), 400, "BadField");
        assertError(svc.post("/v1/check", "text/plain", ""), 400, "EmptyBody");
        assertError(svc.post("/v1/check", "text/plain", "x".repeat(10_000)), 413, "BodyTooLarge");
        assertError(svc.get("/v1/nope"), 404, "NotFound");
        assertError(svc.get("/"), 404, "NotFound");
        assertError(svc.send(HttpRequest.newBuilder(svc.uri("/v1/status")).DELETE()), 405, "MethodNotAllowed");
        assertError(svc.get("/v1/check"), 405, "MethodNotAllowed");
    }

    @Test
    void garbageNeverCausesAServerError() {
        var bodies = List.of("", "{", "null", "\"text\"", "{\"text\": 5}", "{\"files\": {}}", "{\"files\": [{\"text\": null}]}",
                "\u0000\u0001\u0002", "{\"text\": \"policy {{{{\"}", "{\"files\": [{\"name\": 3, \"text\": \"\"}]}");
        for (var body : bodies) {
            for (var type : List.of("application/json", "text/plain", "application/octet-stream")) {
                for (var path : List.of("/v1/check", "/v1/sync", "/v1/status", "/v1/evaluate", "/metrics")) {
                    var r = svc.post(path, type, body);
                    assertThat(r.status()).as("%s %s %s -> %s", path, type, body, r.body()).isBetween(200, 499);
                }
            }
        }
    }

    @Test
    void syncNeedsTheBearerToken() {
        int before = firewall.syncs.get();
        assertError(svc.send(HttpRequest.newBuilder(svc.uri("/v1/sync")).POST(HttpRequest.BodyPublishers.noBody())),
                401, "Unauthorized");
        assertError(svc.send(HttpRequest.newBuilder(svc.uri("/v1/sync")).header("Authorization", "Bearer wrong")
                .POST(HttpRequest.BodyPublishers.noBody())), 403, "Forbidden");
        assertError(svc.send(HttpRequest.newBuilder(svc.uri("/v1/sync")).header("Authorization", "Basic " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody())), 401, "Unauthorized");
        assertThat(firewall.syncs.get()).isEqualTo(before);

        firewall.delete(0);
        var ok = svc.send(HttpRequest.newBuilder(svc.uri("/v1/sync")).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().getString("result")).isEqualTo("ok");
        assertThat(ok.json().getJsonObject("counts").getInteger("added")).isEqualTo(1);
        assertThat(ok.json().getJsonObject("found").getInteger("missing-jump")).isEqualTo(1);
        assertThat(ok.json().getBoolean("countedAsDrift")).isTrue();
        assertThat(firewall.syncs.get()).isEqualTo(before + 1);
    }

    @Test
    void aRotatedTokenFileTakesEffectWithoutARestartAndAnEmptiedOneNeverOpensTheEndpoint(@org.junit.jupiter.api.io.TempDir
                                                                                         java.nio.file.Path dir) throws Exception {
        var file = dir.resolve("token");
        java.nio.file.Files.writeString(file, "first-token\n");
        var token = BearerToken.fromFile(file, Duration.ofMillis(100));
        try (var other = new ServiceHarness(new FakeFirewall(), new ManualSource(List.of(new SourceFile("web.fwpolicy", TestPolicies.WEB))),
                ServiceHarness.fastLoop(), token)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> other.snapshot().ready());
            assertThat(syncWith(other, "first-token")).isEqualTo(200);

            // The kubelet's way: new content under another name, renamed over the old.
            var next = dir.resolve(".token.new");
            java.nio.file.Files.writeString(next, "second-token\n");
            java.nio.file.Files.move(next, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            await().atMost(Duration.ofSeconds(5)).until(() -> syncWith(other, "second-token") == 200);
            assertThat(syncWith(other, "first-token")).isEqualTo(403);

            java.nio.file.Files.writeString(file, "");
            Thread.sleep(500); // several reload periods
            assertThat(syncWith(other, "second-token")).as("an empty file keeps the token in force").isEqualTo(200);
            assertThat(other.send(HttpRequest.newBuilder(other.uri("/v1/sync")).POST(HttpRequest.BodyPublishers.noBody())).status())
                    .isEqualTo(401);
        }
    }

    private static int syncWith(ServiceHarness h, String token) {
        return h.send(HttpRequest.newBuilder(h.uri("/v1/sync")).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody())).status();
    }

    @Test
    void badPolicyKeepsTheLastGoodRulesAndSaysWhy() {
        var good = TestPolicies.compile(TestPolicies.WEB).revision();
        source.load("web.fwpolicy", TestPolicies.BROKEN);
        await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().problem().isPresent());
        var status = svc.get("/v1/status").json();
        assertThat(status.getJsonObject("policy").getString("revision")).isEqualTo(good);
        assertThat(status.getString("appliedRevision")).isEqualTo(good);
        var error = status.getJsonObject("lastError");
        assertThat(error.getString("reason")).isEqualTo("PolicyInvalid");
        assertThat(error.getJsonArray("errors").getJsonObject(0).getString("location")).startsWith("web.fwpolicy:4:");
        assertThat(firewall.appliedRevision).hasValue(good);
        assertThat(source.rejected).hasSize(1);
        assertThat(svc.get("/metrics").body()).contains("fwpolicy_reload_failures_total{reason=\"PolicyInvalid\"} 1.0");
    }

    @Test
    void metricsArePrometheusTextWithSyncRuleDriftAndHttpSeries() {
        svc.get("/v1/status");
        firewall.duplicate(1, 2);
        firewall.tamper(0, " -m comment --comment \"x\"");
        svc.send(HttpRequest.newBuilder(svc.uri("/v1/sync")).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()));
        var metrics = svc.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
        int rules = TestPolicies.compile(TestPolicies.WEB).ruleCount();
        assertThat(metrics.body())
                .contains("fwpolicy_sync_duration_seconds_bucket{le=\"0.005\"}")
                .contains("fwpolicy_syncs_total{result=\"ok\"} 2.0")
                .contains("fwpolicy_syncs_total{result=\"failed\"} 0.0")
                .contains("fwpolicy_rules_desired " + rules + ".0")
                .contains("fwpolicy_rules_applied " + rules + ".0")
                .contains("fwpolicy_drift_repaired_total{kind=\"duplicate\"} 2.0")
                .contains("fwpolicy_drift_repaired_total{kind=\"tampered\"} 1.0")
                .contains("fwpolicy_drift_repaired_total{kind=\"missing\"} 0.0")
                .contains("fwpolicy_last_successful_sync_timestamp_seconds")
                .contains("vertx_http_server_requests_total");
    }
}
