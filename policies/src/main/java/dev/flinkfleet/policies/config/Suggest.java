package dev.flinkfleet.policies.config;

import java.util.Collection;

/** "Did you mean ...?" for misspelt keys and names. */
public final class Suggest {

    private Suggest() {
    }

    /** The closest of {@code known} to {@code word}, or null when none is close enough to be a likely typo. */
    public static String closest(String word, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(word, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, word.length() / 3) ? best : null;
    }

    /** A message tail: {@code ; did you mean 'x'?} or the known list. */
    public static String hint(String word, Collection<String> known) {
        String c = closest(word, known);
        return c != null ? "; did you mean '" + c + "'?" : "; known: " + known.stream().sorted().toList();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
