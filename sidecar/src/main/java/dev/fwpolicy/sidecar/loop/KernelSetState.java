package dev.fwpolicy.sidecar.loop;

/**
 * One desired kernel set as read back now.
 *
 * @param name           the kernel name ({@code fwp-…})
 * @param set            the set's name in its policy
 * @param present        whether the kernel holds a set of that name and the right shape
 * @param members        desired members
 * @param missingMembers desired members the kernel set lacks (all of them when it is absent)
 * @param extraMembers   kernel members no policy asks for
 */
public record KernelSetState(String name, String family, String policy, String set, boolean present, int members,
                             int missingMembers, int extraMembers) {}
