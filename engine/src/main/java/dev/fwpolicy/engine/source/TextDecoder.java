package dev.fwpolicy.engine.source;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The one way policy text is read and judged, whether it arrives as bytes (a file, a
 * ConfigMap's binaryData, an HTTP body) or as a string (a JSON field, a ConfigMap's data).
 * Bytes that are not UTF-8 become U+FFFD in the text and a located problem, instead of an
 * exception that names no line; control characters, bidirectional overrides and lone
 * carriage returns are problems too, because what an editor or a reviewer sees would not be
 * what fwpolicy reads. A leading byte-order
 * mark is dropped: editors on Windows write one, and it carries no meaning in UTF-8.
 */
final class TextDecoder {
    /** Problems kept per source; the rest are only counted (a binary file has millions). */
    static final int MAX_KEPT = 100;
    private static final char BOM = '\uFEFF';

    record Decoded(String text, List<EncodingProblem> problems, int problemCount) {}

    private TextDecoder() {}

    static Decoded decode(byte[] bytes) {
        if (bytes.length >= 2 && ((bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xfe
                || (bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xff) == 0xff)) {
            // Decoding UTF-16 as UTF-8 would report every other byte; one clear message instead.
            return new Decoded("", List.of(new EncodingProblem(1, 1,
                    "the file starts with a UTF-16 byte-order mark: save it as UTF-8")), 1);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        var in = ByteBuffer.wrap(bytes);
        // UTF-8 never yields more UTF-16 units than bytes, and each bad sequence becomes one unit.
        var out = CharBuffer.allocate(bytes.length + 1);
        var badAt = new ArrayList<Integer>();
        var badBytes = new ArrayList<String>();
        int badTotal = 0;
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (r.isUnderflow()) break;
            if (!r.isError()) throw new IllegalStateException("UTF-8 decoding overflowed its buffer: " + r);
            if (badTotal++ < MAX_KEPT) {
                badAt.add(out.position());
                var seq = new byte[r.length()];
                in.get(in.position(), seq);
                badBytes.add(HexFormat.ofDelimiter(" ").withPrefix("0x").formatHex(seq));
            }
            out.put('\uFFFD');
            in.position(in.position() + r.length());
        }
        decoder.flush(out);
        out.flip();
        var scanned = scan(out.toString(), badAt, badBytes);
        return new Decoded(scanned.text(), scanned.problems(), scanned.problemCount() + badTotal - badAt.size());
    }

    static Decoded check(String text) {
        return scan(text, List.of(), List.of());
    }

    /**
     * Strips a leading BOM and walks the text once, locating the bad byte sequences found by
     * {@link #decode} (the first ones' offsets in {@code badAt}) and every character a policy
     * may not hold.
     * Columns count code points, as the lexer does.
     */
    private static Decoded scan(String text, List<Integer> badAt, List<String> badBytes) {
        int shift = 0;
        if (!text.isEmpty() && text.charAt(0) == BOM) {
            text = text.substring(1);
            shift = 1;
        }
        var problems = new ArrayList<EncodingProblem>();
        int count = 0;
        int nextBad = 0;
        int line = 1;
        int column = 1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            // Printable ASCII is nearly all of any policy and never a problem (unless a bad byte is due here).
            if (cp >= 0x20 && cp < 0x7f && (nextBad >= badAt.size() || badAt.get(nextBad) - shift != i)) {
                column++;
                i++;
                continue;
            }
            String message = null;
            if (nextBad < badAt.size() && badAt.get(nextBad) - shift == i) {
                message = "byte " + badBytes.get(nextBad) + " is not UTF-8: a policy file must be UTF-8 text";
                nextBad++;
            } else if (Character.isSurrogate((char) cp) && Character.charCount(cp) == 1) {
                message = String.format(java.util.Locale.ROOT, "U+%04X is an unpaired surrogate, not a character", cp);
            } else if (cp == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n')) {
                message = "carriage return without a line feed: end lines with LF or CRLF";
            } else if (Character.getType(cp) == Character.CONTROL && cp != '\t' && cp != '\n' && cp != '\r') {
                message = String.format(java.util.Locale.ROOT, "control character U+%04X: a policy file is text (tabs and line ends are the only ones allowed)", cp);
            } else if (cp >= 0x202a && cp <= 0x202e || cp >= 0x2066 && cp <= 0x2069) {
                // "Trojan Source": a reviewer would see the text in another order than fwpolicy reads it.
                message = String.format(java.util.Locale.ROOT, "bidirectional control character U+%04X: it makes the text display in another"
                        + " order than it is read", cp);
            }
            if (message != null) {
                if (problems.size() < MAX_KEPT) problems.add(new EncodingProblem(line, column, message));
                count++;
            }
            if (cp == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
            i += Character.charCount(cp);
        }
        return new Decoded(text, List.copyOf(problems), count);
    }
}
