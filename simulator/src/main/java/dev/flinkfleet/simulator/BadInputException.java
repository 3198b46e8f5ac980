package dev.flinkfleet.simulator;

/** A trace, job model, policy file or option the user gave is wrong. The message names the file and line. */
public final class BadInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
