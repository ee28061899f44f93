package dev.fwpolicy.sidecar.loop;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a sync found wrong in the kernel, by kind. Only counted as drift when the policy did not
 * change since the last successful sync: then every change is something that moved under us.
 *
 * @param missing   desired rules that were not there
 * @param duplicate extra copies of desired rules (the kube-router failure)
 * @param tampered  desired rules whose body was edited in place
 * @param extra     rules in owned chains that no policy asks for
 * @param moved     desired rules out of order
 * @param missingMember desired members a kernel set lacked (all members of a set that was missing)
 * @param extraMember   members a kernel set held that no policy asks for
 */
public record DriftCounts(int missing, int duplicate, int tampered, int extra, int moved, int missingMember, int extraMember) {

    public static final DriftCounts NONE = new DriftCounts(0, 0, 0, 0, 0, 0, 0);

    /** Rule drift only. */
    public DriftCounts(int missing, int duplicate, int tampered, int extra, int moved) {
        this(missing, duplicate, tampered, extra, moved, 0, 0);
    }

    public int total() {
        return missing + duplicate + tampered + extra + moved + missingMember + extraMember;
    }

    /** Kind label (as used in metrics and JSON) → count. */
    public Map<String, Integer> byKind() {
        var map = new LinkedHashMap<String, Integer>();
        map.put("missing", missing);
        map.put("duplicate", duplicate);
        map.put("tampered", tampered);
        map.put("extra", extra);
        map.put("moved", moved);
        map.put("missing-member", missingMember);
        map.put("extra-member", extraMember);
        return map;
    }
}
