package io.isoworker.runtime.scripts;

/** The rules for script and module names: nothing a name can say reaches outside the data directory. */
public final class ScriptNames {

    private ScriptNames() {
    }

    /**
     * Script names: lower-case letters, digits and dashes, starting with a letter or digit, at most 63 long. (No
     * regular expression: routing asks this on every request.)
     */
    public static boolean validScriptName(String name) {
        if (name == null || name.isEmpty() || name.length() > 63 || name.charAt(0) == '-') {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /**
     * A module name is a relative path of plain segments: no leading slash, no {@code .} or {@code ..} segments, no
     * backslashes or control characters, at most 256 characters.
     *
     * @return null when valid, otherwise what is wrong
     */
    public static String moduleNameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "a module name is empty";
        }
        if (name.length() > 256) {
            return "module name longer than 256 characters: " + name.substring(0, 32) + "...";
        }
        if (name.startsWith("/")) {
            return "module name must be a relative path: " + name;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\' || c == ':') {
                return "module name has a forbidden character: " + name;
            }
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return "module name has an empty, '.' or '..' segment: " + name;
            }
        }
        return null;
    }
}
