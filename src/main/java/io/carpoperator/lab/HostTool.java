package io.carpoperator.lab;

/** A command carp-operator runs on the host, the Debian package that provides it, and who needs it. */
public record HostTool(String command, String debianPackage, String neededBy) {

    public static final String LAB = "lab";
    public static final String TEST = "test";
    public static final String BUILD = "build";

    public String describe() {
        return command + " (package " + debianPackage + ")";
    }
}
