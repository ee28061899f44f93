package dev.fwpolicy.sidecar.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code HOST:PORT} for {@code --listen}; IPv6 hosts in brackets: {@code [::1]:9464}. */
public record ListenAddress(String host, int port) {

    public static final class Converter implements ITypeConverter<ListenAddress> {
        @Override
        public ListenAddress convert(String value) {
            int colon = value.lastIndexOf(':');
            if (colon <= 0 || colon == value.length() - 1) {
                throw new TypeConversionException("--listen takes HOST:PORT, not: " + value);
            }
            String host = value.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            int port;
            try {
                port = Integer.parseInt(value.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("--listen port is not a number: " + value);
            }
            if (port < 0 || port > 65535) throw new TypeConversionException("--listen port out of range: " + port);
            return new ListenAddress(host, port);
        }
    }
}
