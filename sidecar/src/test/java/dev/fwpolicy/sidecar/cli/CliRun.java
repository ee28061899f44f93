package dev.fwpolicy.sidecar.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in-process and captures what it prints. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cl = FwpolicyCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** What {@code --format json} printed, checked against docs/json.md's vocabulary. */
    io.vertx.core.json.JsonObject json() {
        return dev.fwpolicy.sidecar.testing.JsonVocabulary.check(new io.vertx.core.json.JsonObject(out), "CLI output");
    }
}
