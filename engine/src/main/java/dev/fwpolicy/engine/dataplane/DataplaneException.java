package dev.fwpolicy.engine.dataplane;

/** Something about the kernel or the tools that talk to it is not as expected. Never means "empty". */
public class DataplaneException extends RuntimeException {

    public DataplaneException(String message) {
        super(message);
    }

    public DataplaneException(String message, Throwable cause) {
        super(message, cause);
    }
}
