package dev.flinkfleet.simulator;

import java.util.List;

/**
 * A trace, job model, policy file or option the user gave is wrong. The message names the file and line; when
 * there are several problems (a folder of traces, a job model with several bad keys) it lists every one.
 */
public final class BadInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public BadInputException(String message) {
        this(message, null);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of(message);
    }

    private BadInputException(List<String> problems, Throwable cause) {
        super(problems.size() == 1 ? problems.get(0) : problems.size() + " problems:\n  " + String.join("\n  ", problems), cause);
        this.problems = List.copyOf(problems);
    }

    /** One exception listing every problem (each {@code file:line: message}); {@code problems} is not empty. */
    public static BadInputException of(List<String> problems) {
        return of(problems, null);
    }

    public static BadInputException of(List<String> problems, Throwable cause) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("no problems");
        }
        return new BadInputException(problems, cause);
    }

    /** Every problem, each naming its file and line. */
    public List<String> problems() {
        return problems;
    }
}
