// The runs and compare table models, data-driven where it helps; no window needed.
#include "compare_table_model.h"
#include "compared_runs.h"
#include "palette.h"
#include "runs_table_model.h"
#include "score_text.h"

#include <QColor>
#include <QSortFilterProxyModel>
#include <QtTest>

using namespace uae;
using namespace uae::ui;

namespace {

RunInfo runInfo(std::int64_t id, const std::string& kind, const std::string& method,
                const std::string& status = "finished") {
    RunInfo r;
    r.id = id;
    r.kind = *parseRunKind(kind);
    r.method = method;
    r.split = "dev";
    r.status = *parseRunStatus(status);
    return r;
}

// A run of n evaluated questions whose MAP (and R@1) is `value` on each.
WorkbenchSession::StoredRun storedRun(std::int64_t id, const std::string& method, double value, int n = 20) {
    WorkbenchSession::StoredRun run{runInfo(id, "eval", method), {}, {}};
    for (int i = 0; i < n; ++i) {
        QuestionResult q;
        q.questionId = "q" + std::to_string(i);
        q.order = {0, 1};
        q.gold = {0};
        q.latencyMs = 2.0;
        q.metrics[Metric::Map] = q.metrics[Metric::Recall1] = q.metrics[Metric::Mrr] = q.metrics[Metric::Ndcg10] =
            i % 2 ? value : value / 2;
        run.questions.push_back(q);
    }
    return run;
}

} // namespace

class TestTableModels : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void runsTableShowsSortsAndFilters() {
        RunsTableModel model;
        RunInfo failed = runInfo(12, "train", "uae-glove", "failed");
        failed.error = "disk on fire";
        model.setRows({{runInfo(3, "eval", "bm25"), 0.5, 0.25, true},
                       {runInfo(10, "eval", "glove"), 0.125, 0.75, true},
                       {failed, 0, 0, false}});
        QCOMPARE(model.columnCount(), 7);
        QCOMPARE(model.headerData(5, Qt::Horizontal, Qt::DisplayRole).toString(), QString("R@1"));
        QCOMPARE(model.index(0, RunsTableModel::MapColumn).data().toString(), QString("0.2500"));
        QCOMPARE(model.index(2, RunsTableModel::StatusColumn).data(Qt::ToolTipRole).toString(),
                 QString("disk on fire"));
        QVERIFY(model.index(0, RunsTableModel::StatusColumn).data(Qt::ToolTipRole).isNull());
        // The failed run has no metrics: blank cells, sorted below every scored run.
        QCOMPARE(model.index(2, RunsTableModel::MapColumn).data().toString(), QString());
        QCOMPARE(model.index(2, RunsTableModel::Recall1Column).data().toString(), QString());

        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(RunsTableModel::SortRole);
        proxy.setFilterRole(RunsTableModel::FilterRole);
        proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
        // Ids sort as numbers (3 before 10), not as text.
        proxy.sort(RunsTableModel::IdColumn, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, 0).data().toLongLong(), 3LL);
        QCOMPARE(proxy.index(1, 0).data().toLongLong(), 10LL);
        proxy.sort(RunsTableModel::MapColumn, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, RunsTableModel::MethodColumn).data().toString(), QString("glove"));
        QCOMPARE(proxy.index(2, RunsTableModel::IdColumn).data().toLongLong(), 12LL);
        // The filter looks at kind, method, split and status, each on its own.
        proxy.setFilterFixedString("TRAIN");
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setFilterFixedString("evalbm");
        QCOMPARE(proxy.rowCount(), 0);
        proxy.setFilterFixedString("12"); // the id is not filtered on
        QCOMPARE(proxy.rowCount(), 0);
        proxy.setFilterFixedString("dev");
        QCOMPARE(proxy.rowCount(), 3);
    }

    void scoresNeverPrintANegativeZero() {
        QCOMPARE(scoreText(-0.000001, 3), QString("0.000"));
        QCOMPARE(scoreText(-0.0006, 3), QString("-0.001"));
        QCOMPARE(scoreText(2.5, 4), QString("2.5000"));
        QCOMPARE(scoreText(-1.25, 2), QString("-1.25"));
    }

    void mergedRunsSayWhereTheyWereMade() {
        RunsTableModel model;
        RunInfo merged = runInfo(4, "label", "lm");
        merged.origin = "ws-abc/2";
        merged.originPath = "/scratch/shard-1.db";
        model.setRows({{runInfo(3, "label", "lm"), 0, 0, false}, {merged, 0, 0, false}});
        QCOMPARE(model.index(1, RunsTableModel::MethodColumn).data().toString(), QString("lm (merged)"));
        QCOMPARE(model.index(0, RunsTableModel::MethodColumn).data().toString(), QString("lm"));
        const QString from("merged from /scratch/shard-1.db (run ws-abc/2)");
        QCOMPARE(model.index(1, RunsTableModel::IdColumn).data(Qt::ToolTipRole).toString(), from);
        QCOMPARE(model.index(1, RunsTableModel::MethodColumn).data(Qt::ToolTipRole).toString(), from);
        QVERIFY(model.index(0, RunsTableModel::MethodColumn).data(Qt::ToolTipRole).isNull());
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setFilterRole(RunsTableModel::FilterRole);
        proxy.setFilterFixedString("shard-1"); // the origin file is searchable
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, 0).data().toLongLong(), 4LL);
    }

    void compareRunsAgainstTheFirst() {
        const auto runs = compareRuns({storedRun(1, "bm25", 0.2), storedRun(2, "uae", 0.8)});
        QCOMPARE(runs.size(), size_t(2));
        QVERIFY(runs[0].isBaseline());
        QVERIFY(!runs[1].isBaseline());
        QCOMPARE(runs[1].map->questions, 20L);
        QCOMPARE(runs[1].map->wins, 20L);
        QVERIFY(runs[1].map->difference.low > 0);
        QCOMPARE(runs[1].label(), QString("#2 uae"));
        QCOMPARE(runs[0].summary.evaluated, 20L);
        QVERIFY(std::fabs(runs[1].metrics[1].mean - 0.6) < 1e-9); // MAP: mean of 0.4 and 0.8
    }

    void compareTableCellsAndCsv() {
        CompareTableModel model;
        QCOMPARE(model.columnCount(), 0);
        QVERIFY(model.csvRows().isEmpty());
        auto uae = storedRun(2, "uae", 0.8);
        uae.answers.run = 9;
        uae.answers.reader = "lm:SmolLM2-135M-Instruct";
        uae.answers.rows = {{"q0", "a", 1.0}, {"q1", "b", 0.0}};
        uae.answers.meanF1 = 0.5;
        for (auto& q : uae.questions)
            q.queryLatencyMs = 0.5;
        model.setRuns(compareRuns({storedRun(1, "bm25", 0.2), uae, storedRun(3, "glove", 0.05)}));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), 15);
        // Mean Token F1 of the answers read from a run, with the reader; none for runs not answered.
        QCOMPARE(model.index(1, CompareTableModel::TokenF1Column).data().toString(),
                 QString("0.5000 (lm:SmolLM2-135M-Instruct)"));
        QVERIFY(model.index(0, CompareTableModel::TokenF1Column).data().isNull());
        QCOMPARE(model.headerData(CompareTableModel::TokenF1Column, Qt::Horizontal, Qt::DisplayRole).toString(),
                 QString("Token F1 (reader)"));
        // The query path apart from the whole call; runs stored before it was timed show none.
        QCOMPARE(model.index(1, CompareTableModel::QueryLatencyColumn).data().toString(), QString("0.500"));
        QVERIFY(model.index(0, CompareTableModel::QueryLatencyColumn).data().isNull());
        QCOMPARE(model.runs()[1].queryMs(), 0.5);
        QCOMPARE(model.runs()[0].queryMs(), 2.0); // falls back to the whole call
        QCOMPARE(model.headerData(CompareTableModel::DeltaMapColumn, Qt::Horizontal, Qt::DisplayRole).toString(),
                 QString("Δ MAP vs #1 [95% CI]"));
        QCOMPARE(model.headerData(CompareTableModel::FirstMetricColumn + 1, Qt::Horizontal, Qt::DisplayRole).toString(),
                 QString("MAP [95% CI]"));
        QCOMPARE(model.index(0, CompareTableModel::DeltaMapColumn).data().toString(), QString("baseline"));
        QVERIFY(model.index(0, CompareTableModel::PMapColumn).data().isNull());
        QCOMPARE(model.index(1, CompareTableModel::WinsTiesLossesColumn).data().toString(), QString("20/0/0"));
        QCOMPARE(model.index(1, CompareTableModel::LatencyColumn).data().toString(), QString("2.000"));
        QVERIFY(model.index(1, CompareTableModel::FirstMetricColumn + 1).data().toString().startsWith("0.6000 ["));
        // Better than the baseline in blue, worse in vermillion (Okabe–Ito, not red against green);
        // the baseline row has no colour.
        QCOMPARE(model.index(1, CompareTableModel::DeltaMapColumn).data(Qt::ForegroundRole).value<QColor>(),
                 palette::rankUp());
        QCOMPARE(model.index(2, CompareTableModel::DeltaMapColumn).data(Qt::ForegroundRole).value<QColor>(),
                 palette::rankDown());
        QVERIFY(model.index(0, CompareTableModel::DeltaMapColumn).data(Qt::ForegroundRole).isNull());

        const QList<QStringList> csv = model.csvRows();
        QCOMPARE(csv.size(), 4);
        for (const QStringList& row : csv)
            QCOMPARE(row.size(), csv[0].size());
        QCOMPARE(csv[0].indexOf("MAP_low"), 7);
        QCOMPARE(csv[2][csv[0].indexOf("method")], QString("uae"));
        QCOMPARE(csv[2][csv[0].indexOf("wins_map")], QString("20"));
        QCOMPARE(csv[2][csv[0].indexOf("token_f1")], QString("0.5"));
        QCOMPARE(csv[2][csv[0].indexOf("query_latency_ms")], QString("0.5"));
        QVERIFY(csv[1][csv[0].indexOf("token_f1")].isEmpty());
        QVERIFY(csv[1][csv[0].indexOf("p_map")].isEmpty()); // the baseline has no paired columns
        QVERIFY(std::fabs(csv[1][csv[0].indexOf("MAP")].toDouble() - model.runs()[0].metrics[1].mean) <
                1e-8); // unrounded
    }
};

QTEST_MAIN(TestTableModels)
#include "tst_table_models.moc"
