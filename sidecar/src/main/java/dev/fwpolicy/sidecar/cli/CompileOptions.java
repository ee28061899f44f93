package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.parser.Limits;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The options every subcommand that compiles a policy shares (picocli mixin). */
public final class CompileOptions {
    @Option(names = "--kernel-sets-above", paramLabel = "N", converter = ThresholdConverter.class,
            defaultValue = "" + Limits.DEFAULT_KERNEL_SET_THRESHOLD,
            description = {"A declared set with more than N networks in a family becomes a kernel set (ipset) (default: ${DEFAULT-VALUE}).",
                "A policy's own 'kernel-sets above N' wins over this."})
    int kernelSetsAbove = Limits.DEFAULT_KERNEL_SET_THRESHOLD;

    /** 1 to the largest kernel set; anything else is a usage error picocli reports with the option's name. */
    static final class ThresholdConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int n = Integer.parseInt(value.strip());
                if (n >= 1 && n <= Limits.DEFAULT_MAX_SET_MEMBERS) return n;
            } catch (NumberFormatException ignored) {
                // reported below like any other value out of range
            }
            throw new TypeConversionException("expected a whole number from 1 to " + Limits.DEFAULT_MAX_SET_MEMBERS + ", not '" + value + "'");
        }
    }

    @picocli.CommandLine.Mixin
    ClusterOptions cluster;

    /** The cluster the members of dynamic sets come from (see {@link ClusterOptions#input}). */
    public dev.fwpolicy.engine.cluster.ClusterInput cluster(boolean membersOptional) {
        return cluster.input(membersOptional);
    }

    public Compiler compiler() {
        return new Compiler(Limits.DEFAULT.withKernelSetThreshold(kernelSetsAbove));
    }
}
