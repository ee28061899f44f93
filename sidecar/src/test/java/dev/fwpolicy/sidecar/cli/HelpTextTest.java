package dev.fwpolicy.sidecar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a new user sees first: {@code fwpolicy --help}. Its "Start with" commands must work as
 * printed (from the repository root), and the one-line summary of every command must be a whole
 * sentence, because picocli lists only the first line of each description.
 */
class HelpTextTest {
    private static final Pattern START_WITH = Pattern.compile("Start with:(.*)");

    @Test
    void theStartWithCommandsRunFromTheRepositoryRoot() {
        var help = CliRun.of("--help");
        var m = START_WITH.matcher(help.out());
        assertThat(m.find()).as("--help says where to start:\n" + help.out()).isTrue();
        var commands = Arrays.stream(m.group(1).split("\\bthen\\b")).map(String::strip).toList();
        assertThat(commands).hasSizeGreaterThanOrEqualTo(2).allMatch(c -> c.startsWith("fwpolicy "));
        for (var command : commands) {
            // The test runs in sidecar/: the printed paths are relative to the repository root.
            var args = new ArrayList<String>();
            for (var word : command.substring("fwpolicy ".length()).split("\\s+")) {
                args.add(word.startsWith("examples/") ? "../" + word : word);
            }
            var run = CliRun.of(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(command + " exits 0; it printed:\n" + run.err()).isZero();
        }
    }

    @Test
    void everyCommandSummaryIsAWholeSentence() {
        var help = CliRun.of("--help").out();
        var listing = help.substring(help.indexOf("Commands:"));
        var summaries = listing.lines().filter(l -> l.matches("  [a-z]+ +\\S.*")).toList();
        assertThat(summaries).as(listing).hasSizeGreaterThanOrEqualTo(8);
        for (var line : summaries) {
            assertThat(line.strip()).as("the summary line of --help").matches(".*[.?]");
        }
    }
}
