package dev.flinkfleet.simulator.sweep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.flinkfleet.simulator.report.HtmlReportSupport;
import dev.flinkfleet.simulator.report.Summary;

/**
 * tune.json: every setting tried with its train figures, the winner and its test figures.
 *
 * @param zeroSla whether the winner had 0 SLA-violation minutes on the train part (else it has the fewest)
 */
public record TuneReport(String policy, List<String> traces, double trainFraction, int rounds, List<ParamRange> params,
                         List<Tried> tried, boolean zeroSla, Tried winner, Summary winnerTest) {

    /** One setting and its figures on the train part. */
    public record Tried(Map<String, String> params, Summary train) {
    }

    public void write(Path dir) throws IOException {
        TuneReport r = new TuneReport(policy, traces, trainFraction, rounds, params,
                tried.stream().map(t -> new Tried(t.params(), HtmlReportSupport.rounded(t.train()))).toList(), zeroSla,
                new Tried(winner.params(), HtmlReportSupport.rounded(winner.train())), HtmlReportSupport.rounded(winnerTest));
        ParetoReport.JSON.writeValue(dir.resolve("tune.json").toFile(), r);
    }
}
