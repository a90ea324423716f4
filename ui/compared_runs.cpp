#include "compared_runs.h"

namespace uae::ui {

QString ComparedRun::label() const {
    return QStringLiteral("#%1 %2").arg(run.id).arg(QString::fromStdString(run.method));
}

std::vector<ComparedRun> compareRuns(const std::vector<WorkbenchSession::StoredRun>& runs) {
    std::vector<ComparedRun> out;
    for (size_t r = 0; r < runs.size(); ++r) {
        const auto& questions = runs[r].questions;
        ComparedRun c{runs[r].run,
                      summarize(questions),
                      {},
                      std::nullopt,
                      std::nullopt,
                      runs[r].answers.reader,
                      static_cast<long>(runs[r].answers.rows.size()),
                      runs[r].answers.meanF1};
        for (size_t m = 0; m < kComparedMetrics.size(); ++m)
            c.metrics[m] = meanInterval(questions, kComparedMetrics[m]);
        if (r > 0) {
            c.map = comparePaired(runs[0].questions, questions, Metric::Map);
            c.recall1 = comparePaired(runs[0].questions, questions, Metric::Recall1);
        }
        out.push_back(std::move(c));
    }
    return out;
}

} // namespace uae::ui
