package dev.fwpolicy.sidecar.cli;

import picocli.CommandLine;

/** Reports the jar's version and the rule identity version it writes. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = FwpolicyCommand.class.getPackage().getImplementationVersion();
        return new String[] {"fwpolicy " + (v == null ? "dev" : v) + " (rule identities fwp1)"};
    }
}
