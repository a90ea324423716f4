// Sharded labeling (shard.h) and merging shards (label_merge.h, Store::mergeLabelsFrom).
#include "uae/job_label.h"
#include "uae/label_merge.h"
#include "uae/qasper.h"
#include "uae/scorer_dirichlet.h"
#include "uae/shard.h"
#include "uae/store.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <numeric>
#include <set>

using namespace uae;

namespace {

Dataset fixture() {
    auto d = loadQasper(UAE_TEST_DATA_DIR "/qasper", "fixture");
    if (!d)
        qFatal("%s", d.error().c_str());
    return std::move(d.value());
}

using Labels = std::vector<std::tuple<std::string, int, double, double, double>>;

Labels labelsOf(Store& s, const LabelKey& key) {
    Labels out;
    for (const auto& l : s.labels(key, "fixture").value())
        out.emplace_back(l.question, l.paragraph, l.utility, l.nllWith, l.nllWithout);
    return out;
}

std::vector<std::string> ids(int n) {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i)
        out.push_back("q" + std::to_string((i * 7919) % 1000)); // distinct, not in sorted order
    return out;
}

} // namespace

class TestLabelMerge : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string path(const QString& name) { return m_dir.filePath(name).toStdString(); }

    std::unique_ptr<Store> labelled(const QString& name, const std::string& shard, double mu = 100) {
        auto store = Store::open(path(name)).value();
        ScorerDirichlet scorer(DirichletConfig{mu});
        LabelJobConfig config;
        config.split = "fixture";
        config.mu = mu;
        config.shard = shard;
        const auto r = runLabelJob(*store, fixture(), scorer, config, JobContext{});
        if (r.status != RunStatus::Finished)
            qFatal("labelling %s: %s", qPrintable(name), r.error.c_str());
        return store;
    }

private Q_SLOTS:
    void shardSpecs_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("index");
        QTest::addColumn<int>("count"); // 0: refused
        QTest::newRow("empty is all") << "" << 0 << 1;
        QTest::newRow("first of four") << "0/4" << 0 << 4;
        QTest::newRow("last of four") << "3/4" << 3 << 4;
        QTest::newRow("index = count") << "4/4" << 0 << 0;
        QTest::newRow("zero shards") << "0/0" << 0 << 0;
        QTest::newRow("negative") << "-1/4" << 0 << 0;
        QTest::newRow("no slash") << "3" << 0 << 0;
        QTest::newRow("two slashes") << "1/2/3" << 0 << 0;
        QTest::newRow("spaces") << "1 /2" << 0 << 0;
        QTest::newRow("overflow") << "1/99999999999" << 0 << 0;
    }
    void shardSpecs() {
        QFETCH(QString, text);
        QFETCH(int, index);
        QFETCH(int, count);
        const auto s = parseShard(text.toStdString());
        QCOMPARE(s.ok(), count > 0);
        if (count > 0) {
            QCOMPARE(s->index, index);
            QCOMPARE(s->count, count);
        } else {
            QVERIFY2(s.error().find(text.toStdString()) != std::string::npos, s.error().c_str());
        }
    }

    // Shares are disjoint, cover every question, differ in size by at most one, keep data order,
    // and do not depend on the order the questions come in.
    void sharesAreBalancedAndDeterministic_data() {
        QTest::addColumn<int>("questions");
        QTest::addColumn<int>("shards");
        for (auto [q, n] : {std::pair{7, 4}, {100, 8}, {3, 5}, {1000, 3}, {0, 2}, {10, 1}})
            QTest::addRow("%d over %d", q, n) << q << n;
    }
    void sharesAreBalancedAndDeterministic() {
        QFETCH(int, questions);
        QFETCH(int, shards);
        const auto all = ids(questions);
        auto reversed = all;
        std::reverse(reversed.begin(), reversed.end());
        std::vector<int> owner(all.size(), -1);
        size_t smallest = all.size(), largest = 0;
        for (int i = 0; i < shards; ++i) {
            const auto mine = shardPositions(all, Shard{i, shards});
            QVERIFY(std::is_sorted(mine.begin(), mine.end()));
            for (size_t p : mine) {
                QCOMPARE(owner[p], -1);
                owner[p] = i;
            }
            std::set<std::string> a, b;
            for (size_t p : mine)
                a.insert(all[p]);
            for (size_t p : shardPositions(reversed, Shard{i, shards}))
                b.insert(reversed[p]);
            QCOMPARE(a, b);
            smallest = std::min(smallest, mine.size());
            largest = std::max(largest, mine.size());
        }
        QVERIFY(std::count(owner.begin(), owner.end(), -1) == 0);
        QVERIFY(largest - std::min(smallest, largest) <= 1);
    }

    void mergedShardsEqualOneProcessAndMergingAgainChangesNothing() {
        auto single = labelled("single.db", "");
        const LabelKey key{"dirichlet", ScorerDirichlet().promptVersion()};
        std::vector<std::string> shards;
        for (int i = 0; i < 3; ++i) {
            const QString name = QString("shard-%1.db").arg(i);
            labelled(name, toString(Shard{i, 3}));
            shards.push_back(path(name));
        }
        auto into = Store::open(path("merged.db")).value();
        const auto first = mergeLabelShards(*into, shards);
        QVERIFY2(first.ok(), first.ok() ? "" : first.error().c_str());
        QCOMPARE(labelsOf(*into, key), labelsOf(*single, key));
        QVERIFY(first->warnings.empty());
        long added = 0;
        for (const auto& s : first->sources) {
            added += s.counts.questionsAdded;
            QCOMPARE(s.counts.runsCopied, 1L);
        }
        QCOMPARE(added, 7L);
        const auto second = mergeLabelShards(*into, shards);
        QVERIFY(second.ok());
        for (const auto& s : second->sources) {
            QCOMPARE(s.counts.questionsAdded, 0L);
            QCOMPARE(s.counts.runsCopied, 0L);
            QCOMPARE(s.counts.runsUpdated, 1L);
            QVERIFY(s.counts.conflicts.empty());
        }
        QCOMPARE(labelsOf(*into, key), labelsOf(*single, key));
        // Each merged run says where it came from.
        const auto runs = into->runs().value();
        QCOMPARE(runs.size(), size_t(3));
        std::set<std::string> paths;
        for (const auto& r : runs) {
            QVERIFY(!r.origin.empty());
            paths.insert(r.originPath);
        }
        QCOMPARE(paths.size(), size_t(3));
    }

    void differentConfigurationsAreRefused() {
        labelled("a.db", "0/2");
        labelled("b.db", "1/2", 50);
        auto into = Store::open(path("refused.db")).value();
        const auto r = mergeLabelShards(*into, {path("a.db"), path("b.db")});
        QVERIFY(!r.ok());
        QVERIFY2(r.error().find("different label configurations") != std::string::npos, r.error().c_str());
        QVERIFY2(r.error().find("mu") != std::string::npos && r.error().find("b.db") != std::string::npos,
                 r.error().c_str());
        QVERIFY(into->runs()->empty());
    }

    void conflictingLabelsAreReportedNotOverwritten() {
        auto mine = labelled("mine.db", "");
        labelled("theirs.db", "");
        const LabelKey key{"dirichlet", ScorerDirichlet().promptVersion()};
        const auto before = labelsOf(*mine, key);
        {
            auto theirs = Store::open(path("theirs.db")).value();
            QVERIFY(theirs->labels(key, "fixture")->size() > 0);
        }
        QVERIFY(QProcess::execute("python3", {"-c",
                                              "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); "
                                              "db.execute('UPDATE labels SET utility=utility+0.5'); db.commit()",
                                              m_dir.filePath("theirs.db")}) == 0);
        const auto r = mergeLabelShards(*mine, {path("theirs.db")});
        QVERIFY(r.ok());
        QCOMPARE(r->conflicts(), 6L); // the six answerable questions; the unanswerable has no labels
        QVERIFY(r->sources[0].counts.conflicts[0].why.find("utilities differ by up to 0.5") != std::string::npos);
        QCOMPARE(labelsOf(*mine, key), before);
    }

    void missingShardIsWarned() {
        labelled("p0.db", "0/3");
        labelled("p2.db", "2/3");
        auto into = Store::open(path("partial.db")).value();
        const auto r = mergeLabelShards(*into, {path("p0.db"), path("p2.db")});
        QVERIFY(r.ok());
        QCOMPARE(r->warnings.size(), size_t(1));
        QVERIFY2(r->warnings[0].find("shard 1/3") != std::string::npos, r->warnings[0].c_str());
    }

    void badSourcesAreRefused() {
        auto into = Store::open(path("target.db")).value();
        auto missing = mergeLabelShards(*into, {path("nowhere.db")});
        QVERIFY(!missing.ok() && missing.error().find("nowhere.db: no such workspace file") != std::string::npos);
        Store::open(path("empty.db")).value();
        auto empty = mergeLabelShards(*into, {path("empty.db")});
        QVERIFY(!empty.ok() && empty.error().find("holds no label run") != std::string::npos);
        QVERIFY(!mergeLabelShards(*into, {}).ok());
    }

    // Copies of one workspace share its id, so their runs would share origins: the second merge
    // would overwrite the first's run. Refused before anything is written.
    void copiesOfOneWorkspaceAreRefused() {
        labelled("c0.db", "0/2");
        QVERIFY(QFile::copy(m_dir.filePath("c0.db"), m_dir.filePath("c1.db")));
        auto into = Store::open(path("copies.db")).value();
        const auto r = mergeLabelShards(*into, {path("c0.db"), path("c1.db")});
        QVERIFY(!r.ok());
        QVERIFY2(r.error().find("are copies of one workspace") != std::string::npos, r.error().c_str());
        QVERIFY2(r.error().find("c1.db") != std::string::npos, r.error().c_str());
        QCOMPARE(into->runs().value().size(), size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestLabelMerge)
#include "tst_label_merge.moc"
