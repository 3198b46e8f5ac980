package dev.flinkfleet.policies.config;

/**
 * Name globs: {@code *} matches any run of characters (also none), {@code ?} exactly one; everything else
 * matches itself. No escapes: Kubernetes names cannot contain either character.
 */
public final class Glob {

    private Glob() {
    }

    /** True when {@code glob} matches all of {@code text}. */
    public static boolean matches(String glob, String text) {
        // reach[j]: some prefix of the glob processed so far matches text[0, j).
        boolean[] reach = new boolean[text.length() + 1];
        reach[0] = true;
        for (int i = 0; i < glob.length(); i++) {
            char g = glob.charAt(i);
            boolean[] next = new boolean[text.length() + 1];
            if (g == '*') {
                boolean any = false;
                for (int j = 0; j <= text.length(); j++) {
                    any |= reach[j];
                    next[j] = any;
                }
            } else {
                for (int j = 0; j < text.length(); j++) {
                    next[j + 1] = reach[j] && (g == '?' || g == text.charAt(j));
                }
            }
            reach = next;
        }
        return reach[text.length()];
    }

    /**
     * True when some string matches both globs. Walks the product of the two patterns' automata: state
     * (i, j) means "a common prefix has been read and the globs are at positions i and j"; a star may be left
     * (epsilon) or may swallow a character the other side consumes.
     */
    public static boolean intersects(String p, String q) {
        int n = p.length();
        int m = q.length();
        boolean[][] seen = new boolean[n + 1][m + 1];
        java.util.ArrayDeque<int[]> todo = new java.util.ArrayDeque<>();
        seen[0][0] = true;
        todo.add(new int[] {0, 0});
        while (!todo.isEmpty()) {
            int[] s = todo.poll();
            int i = s[0];
            int j = s[1];
            if (i == n && j == m) {
                return true;
            }
            boolean pStar = i < n && p.charAt(i) == '*';
            boolean qStar = j < m && q.charAt(j) == '*';
            if (pStar) {
                visit(seen, todo, i + 1, j);
            }
            if (qStar) {
                visit(seen, todo, i, j + 1);
            }
            if (i < n && j < m) {
                if (pStar && !qStar) {
                    visit(seen, todo, i, j + 1); // p's star swallows q's character
                } else if (qStar && !pStar) {
                    visit(seen, todo, i + 1, j);
                } else if (!pStar) {
                    char a = p.charAt(i);
                    char b = q.charAt(j);
                    if (a == '?' || b == '?' || a == b) {
                        visit(seen, todo, i + 1, j + 1);
                    }
                }
                // Two stars swallowing the same character change nothing; the epsilon moves cover it.
            }
        }
        return false;
    }

    private static void visit(boolean[][] seen, java.util.ArrayDeque<int[]> todo, int i, int j) {
        if (!seen[i][j]) {
            seen[i][j] = true;
            todo.add(new int[] {i, j});
        }
    }
}
