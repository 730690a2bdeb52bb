package io.carpoperator.lab;

/** A lab could not be built, queried or changed; the message names the command and its output. */
public class LabException extends RuntimeException {

    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
