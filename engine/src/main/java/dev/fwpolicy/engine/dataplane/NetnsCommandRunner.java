package dev.fwpolicy.engine.dataplane;

import java.util.ArrayList;
import java.util.regex.Pattern;

/**
 * Prefixes every command with {@code ip netns exec NAME}, so the same code can target an
 * isolated network stack (tests, demos) or the pod's own.
 */
public final class NetnsCommandRunner implements CommandRunner {
    /** What iproute2 accepts as a namespace name; anything else would be a path trick. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final CommandRunner delegate;
    private final String netns;

    public NetnsCommandRunner(CommandRunner delegate, String netns) {
        if (!NAME.matcher(netns).matches() || netns.equals(".") || netns.equals("..")) {
            throw new IllegalArgumentException("not a network namespace name: " + netns);
        }
        this.delegate = delegate;
        this.netns = netns;
    }

    public String netns() {
        return netns;
    }

    @Override
    public CommandResult run(Command command) {
        var argv = new ArrayList<String>(command.argv().size() + 4);
        argv.add("ip");
        argv.add("netns");
        argv.add("exec");
        argv.add(netns);
        argv.addAll(command.argv());
        return delegate.run(new Command(argv, command.stdin(), command.timeout()));
    }
}
