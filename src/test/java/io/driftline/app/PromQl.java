package io.driftline.app;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The metric selectors and grouping labels of a PromQL expression: as much of PromQL's grammar as
 * finding them takes (strings, range brackets, label matchers, function calls, grouping clauses).
 * Grafana's variables ($model, $__rate_interval) are skipped.
 */
final class PromQl {

    record Matcher(String label, String operator, String value) {
        boolean isRegex() {
            return operator.endsWith("~");
        }
    }

    record Selector(String metric, List<Matcher> matchers) {
    }

    record Parsed(List<Selector> selectors, Set<String> groupingLabels) {
    }

    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan");
    /** Aggregations may put their grouping clause before their parenthesis: sum by (kind) (...). */
    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
            "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");

    private final String text;
    private int at;
    private final List<Selector> selectors = new ArrayList<>();
    private final Set<String> groupingLabels = new LinkedHashSet<>();

    private PromQl(String text) {
        this.text = text;
    }

    static Parsed parse(String expression) {
        PromQl parser = new PromQl(expression);
        parser.expression();
        return new Parsed(List.copyOf(parser.selectors), Set.copyOf(parser.groupingLabels));
    }

    private void expression() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '"' || c == '\'' || c == '`') {
                string();
            } else if (c == '[') {
                at = text.indexOf(']', at) + 1;
            } else if (c == '$') {
                at++;
                if (at < text.length() && text.charAt(at) == '{') {
                    at = text.indexOf('}', at) + 1;
                } else {
                    identifier();
                }
            } else if (Character.isDigit(c) || c == '.') {
                while (at < text.length() && (identifierPart(text.charAt(at)) || text.charAt(at) == '.')) {
                    at++;
                }
            } else if (c == '{') {
                throw new IllegalArgumentException("a selector without a metric name in: " + text);
            } else if (identifierStart(c)) {
                word(identifier());
            } else {
                at++;
            }
        }
    }

    private void word(String word) {
        int next = skipSpaces(at);
        boolean call = next < text.length() && text.charAt(next) == '(';
        if (GROUPING.contains(word)) {
            if (call) {
                int close = text.indexOf(')', next);
                for (String label : text.substring(next + 1, close).split(",")) {
                    if (!label.isBlank()) {
                        groupingLabels.add(label.strip());
                    }
                }
                at = close + 1;
            }
        } else if (!KEYWORDS.contains(word) && !AGGREGATIONS.contains(word) && !call) {
            List<Matcher> matchers = new ArrayList<>();
            if (next < text.length() && text.charAt(next) == '{') {
                at = next + 1;
                matchers(matchers);
            }
            selectors.add(new Selector(word, List.copyOf(matchers)));
        }
    }

    private void matchers(List<Matcher> into) {
        while (true) {
            at = skipSpaces(at);
            char c = text.charAt(at);
            if (c == '}') {
                at++;
                return;
            }
            if (c == ',') {
                at++;
                continue;
            }
            String label = identifier();
            at = skipSpaces(at);
            int start = at;
            while ("=!~".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            String operator = text.substring(start, at);
            at = skipSpaces(at);
            into.add(new Matcher(label, operator, string()));
        }
    }

    /** Reads a quoted string at the cursor and returns its content (escapes resolved). */
    private String string() {
        char quote = text.charAt(at++);
        StringBuilder value = new StringBuilder();
        while (text.charAt(at) != quote) {
            char c = text.charAt(at++);
            if (c == '\\' && quote != '`') {
                c = text.charAt(at++);
            }
            value.append(c);
        }
        at++;
        return value.toString();
    }

    private String identifier() {
        int start = at;
        while (at < text.length() && identifierPart(text.charAt(at))) {
            at++;
        }
        return text.substring(start, at);
    }

    private int skipSpaces(int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean identifierStart(char c) {
        return Character.isLetter(c) || c == '_' || c == ':';
    }

    private static boolean identifierPart(char c) {
        return identifierStart(c) || Character.isDigit(c);
    }
}
