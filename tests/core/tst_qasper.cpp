#include "uae/qasper.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

#include <sys/stat.h>

using namespace uae;

namespace {
const std::string kFixtureDir = UAE_TEST_DATA_DIR "/qasper";

const Question& question(const Dataset& d, const char* id) {
    const Question* q = d.findQuestion(id);
    if (!q)
        qFatal("fixture question %s missing", id);
    return *q;
}
} // namespace

class TestQasper : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void loadsFixtureFolder() {
        auto d = loadQasper(kFixtureDir, "fixture");
        QVERIFY2(d.ok(), d.error().c_str());
        QCOMPARE(d->papers.size(), size_t(3));
        QCOMPARE(d->questions.size(), size_t(7));
        // Empty and whitespace-only paragraphs are not candidates; section names are kept.
        const Paper& p = d->papers[0];
        QCOMPARE(p.id, std::string("2001.00001"));
        QCOMPARE(p.paragraphs.size(), size_t(4));
        QCOMPARE(p.paragraphs[1].section, std::string("Method"));
        QCOMPARE(p.paragraphs[3].section, std::string("Results"));
        QCOMPARE(d->paperOf(question(*d, "q4")).id, std::string("2001.00002"));
    }

    void referencesFollowOfficialEvaluator() {
        auto d = loadQasper(kFixtureDir, "fixture");
        QVERIFY(d.ok());
        const auto& q1 = question(*d, "q1");
        QCOMPARE(q1.references[0].answer, std::string("utility signal, language model"));
        QCOMPARE(q1.references[0].type, AnswerType::Extractive);
        QCOMPARE(q1.references[1].type, AnswerType::Abstractive);
        const auto& q2 = question(*d, "q2");
        QCOMPARE(q2.references[0].answer, std::string("Yes"));
        QCOMPARE(q2.references[1].answer, std::string("Unanswerable"));
        QVERIFY(q2.references[1].evidence.empty());
        QCOMPARE(question(*d, "q3").references[1].answer, std::string("No"));
        // Figure/table evidence is kept apart from text evidence.
        QCOMPARE(q2.references[0].floatEvidence.size(), size_t(1));
        QCOMPARE(q2.references[0].evidence.size(), size_t(1));
    }

    void goldMapping_data() {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QList<int>>("gold");
        QTest::newRow("exact + case/whitespace variant") << "q1" << QList<int>{1};
        QTest::newRow("section name and float only") << "q2" << QList<int>{};
        QTest::newRow("long fragment contained") << "q3" << QList<int>{3};
        QTest::newRow("near copy by overlap") << "q4" << QList<int>{2};
        QTest::newRow("unanswerable") << "q5" << QList<int>{};
        QTest::newRow("section name + short fragment") << "q6" << QList<int>{};
        QTest::newRow("unmatched") << "q7" << QList<int>{};
    }
    void goldMapping() {
        QFETCH(QString, id);
        QFETCH(QList<int>, gold);
        auto d = loadQasper(kFixtureDir, "fixture");
        QVERIFY(d.ok());
        const auto& q = question(*d, id.toStdString().c_str());
        QCOMPARE(QList<int>(q.gold.begin(), q.gold.end()), gold);
    }

    void mappingStatsCountRules() {
        auto d = loadQasper(kFixtureDir, "fixture");
        QVERIFY(d.ok());
        const auto& m = d->mapping;
        auto items = [&](EvidenceRule r) { return m.items[static_cast<int>(r)]; };
        auto questions = [&](EvidenceRule r) { return m.questions[static_cast<int>(r)]; };
        QCOMPARE(items(EvidenceRule::Exact), 2L);
        QCOMPARE(questions(EvidenceRule::Exact), 1L);
        QCOMPARE(items(EvidenceRule::Contained), 1L);
        QCOMPARE(items(EvidenceRule::Overlap), 1L);
        QCOMPARE(items(EvidenceRule::SectionName), 2L);
        QCOMPARE(questions(EvidenceRule::SectionName), 2L);
        QCOMPARE(items(EvidenceRule::TooShort), 1L);
        QCOMPARE(items(EvidenceRule::Unmatched), 1L);
        QCOMPARE(m.floatItems, 1L);
        QCOMPARE(m.questionsWithTextEvidence, 3L);
        QCOMPARE(m.unanswerableQuestions, 1L);
    }

    void evidenceRules_data() {
        QTest::addColumn<QString>("evidence");
        QTest::addColumn<int>("rule");
        QTest::addColumn<int>("paragraph");
        QTest::newRow("exact") << "Alpha beta gamma delta epsilon zeta eta theta." << int(EvidenceRule::Exact) << 0;
        QTest::newRow("section heading") << "Introduction" << int(EvidenceRule::SectionName) << -1;
        // "introduction" occurs inside paragraph 1: a naive containment rule would make it gold.
        QTest::newRow("short fragment") << "the introduction" << int(EvidenceRule::TooShort) << -1;
        QTest::newRow("fragment") << "iota kappa lambda mu nu xi" << int(EvidenceRule::Contained) << 1;
        QTest::newRow("near copy") << "iota kappa lambda mu nu omicron pi rho" << int(EvidenceRule::Overlap) << 1;
        QTest::newRow("empty") << "   " << int(EvidenceRule::Unmatched) << -1;
        QTest::newRow("unrelated") << "one two three four five six seven" << int(EvidenceRule::Unmatched) << -1;
    }
    void evidenceRules() {
        QFETCH(QString, evidence);
        QFETCH(int, rule);
        QFETCH(int, paragraph);
        Paper p;
        p.paragraphs = {{"Introduction", "Alpha beta gamma delta epsilon zeta eta theta.", {}, {}},
                        {"Introduction", "In the introduction: iota kappa lambda mu nu xi omicron pi.", {}, {}}};
        const auto item = mapEvidence(evidence.toStdString(), p);
        QCOMPARE(int(item.rule), rule);
        QCOMPARE(item.paragraph, paragraph);
    }

    void malformedInput_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("truncated") << QByteArray(R"({"p1": {"title": "x", "full_text": [)") << "malformed JSON";
        QTest::newRow("not an object") << QByteArray("[1, 2]") << "expected an object keyed by paper id";
        // Found by fuzz_qasper: nlohmann throws out_of_range, not parse_error, for this; it escaped.
        QTest::newRow("number beyond double") << QByteArray(R"({"p1": {"title": 1e99999}})") << "malformed JSON";
        QTest::newRow("missing full_text")
            << QByteArray(R"({"p1": {"title": "x", "qas": []}})") << "paper p1: missing 'full_text'";
        QTest::newRow("paragraphs not a list")
            << QByteArray(R"({"p1": {"full_text": [{"section_name": "A", "paragraphs": "text"}], "qas": []}})")
            << "'paragraphs' is string";
        QTest::newRow("answer without content")
            << QByteArray(
                   R"({"p1": {"full_text": [], "qas": [{"question": "q?", "question_id": "x1", "answers": [{"answer": {"unanswerable": false, "extractive_spans": [], "free_form_answer": "", "yes_no": null, "evidence": []}}]}]}})")
            << "question x1: answer has no span";
        // Issue 13 item 10: an empty file made a "finished" run of 0 questions with metrics 0.
        QTest::newRow("empty object") << QByteArray("{}") << "holds no questions (0 papers";
        QTest::newRow("papers without questions")
            << QByteArray(R"({"p1": {"title": "x", "full_text": [], "qas": []}})") << "holds no questions (1 papers";
    }
    void malformedInput() {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const std::string path = dir.filePath("qasper-bad-v0.3.json").toStdString();
        std::ofstream(path) << content.toStdString();
        auto d = loadQasper(dir.path().toStdString(), "bad");
        QVERIFY(!d.ok());
        const bool named = d.error().find(path) != std::string::npos || d.error().find(dir.path().toStdString()) == 0;
        QVERIFY2(named, d.error().c_str());
        QVERIFY2(d.error().find(expected.toStdString()) != std::string::npos, d.error().c_str());
    }

    // Issue 13 item 11: an entry named like a part that cannot be read used to read as "no
    // qasper-dev-*.json file"; it is named with what it is.
    void unreadablePartIsNamed_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("folder") << "folder"
                                << "a folder, not a QASPER file";
        QTest::newRow("fifo") << "fifo"
                              << "not a regular file";
        QTest::newRow("dangling link") << "link"
                                       << "a link to nothing (/nonexistent/part.json)";
    }
    void unreadablePartIsNamed() {
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const std::string path = dir.filePath("qasper-dev-v0.3.json").toStdString();
        if (kind == "folder")
            QVERIFY(std::filesystem::create_directory(path));
        else if (kind == "fifo")
            QCOMPARE(::mkfifo(path.c_str(), 0600), 0);
        else
            std::filesystem::create_symlink("/nonexistent/part.json", path);
        auto d = loadQasper(dir.path().toStdString(), "dev");
        QVERIFY(!d.ok());
        QVERIFY2(d.error().find(path) != std::string::npos, d.error().c_str());
        QVERIFY2(d.error().find(expected.toStdString()) != std::string::npos, d.error().c_str());
    }

    void missingSplitNamesFolder() {
        auto d = loadQasper(kFixtureDir, "test");
        QVERIFY(!d.ok());
        QVERIFY(d.error().find(kFixtureDir) != std::string::npos);
        QVERIFY(d.error().find("qasper-test-") != std::string::npos);
        QVERIFY(!loadQasper("/nonexistent/qasper", "dev").ok());
    }

    void realDevSplitWhenPresent() {
        const std::string dir = UAE_SHARED_DIR "/datasets/qasper";
        if (!QFileInfo::exists(QString::fromStdString(dir)))
            QSKIP("shared QASPER data not present");
        auto d = loadQasper(dir, "dev");
        QVERIFY2(d.ok(), d.error().c_str());
        QCOMPARE(d->papers.size(), size_t(281));
        QCOMPARE(d->questions.size(), size_t(1005));
        // Section-name evidence must never make paragraphs gold (the SOURCE.md counts 129).
        QVERIFY(d->mapping.items[int(EvidenceRule::SectionName)] > 100);
        QCOMPARE(d->mapping.items[int(EvidenceRule::Unmatched)], 0L);
    }
};

QTEST_GUILESS_MAIN(TestQasper)
#include "tst_qasper.moc"
