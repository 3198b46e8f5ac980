package dev.flinkfleet.policies.config;

import java.util.List;

/** One or more problems in policy or inventory files, each formatted {@code file:line: key: message}. */
public final class PolicyFileException extends RuntimeException {

    private final List<String> errors;

    public PolicyFileException(List<String> errors) {
        super(errors.size() == 1 ? errors.get(0) : errors.size() + " problems:\n  " + String.join("\n  ", errors));
        this.errors = List.copyOf(errors);
    }

    /** Every problem found, in file order. */
    public List<String> errors() {
        return errors;
    }
}
