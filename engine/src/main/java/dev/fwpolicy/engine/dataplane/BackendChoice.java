package dev.fwpolicy.engine.dataplane;

import java.util.Locale;
import java.util.Optional;

/** The {@code --backend} flag: detect, or force one flavour. */
public enum BackendChoice {
    AUTO, NFT, LEGACY;

    public static BackendChoice parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "nft" -> NFT;
            case "legacy" -> LEGACY;
            default -> throw new IllegalArgumentException("backend must be auto, nft or legacy, not: " + text);
        };
    }

    public Optional<Backend> forced() {
        return switch (this) {
            case AUTO -> Optional.empty();
            case NFT -> Optional.of(Backend.NFT);
            case LEGACY -> Optional.of(Backend.LEGACY);
        };
    }
}
