#include "uae/beir.h"
#include "uae/bm25.h"
#include "uae/dataset_loader.h"
#include "uae/evaluation.h"
#include "uae/export.h"
#include "uae/job.h"
#include "uae/qasper.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

using namespace uae;

namespace {

const std::string kData = UAE_TEST_DATA_DIR;

Dataset qasperFixture() {
    auto d = loadQasper(kData + "/qasper", "fixture");
    if (!d)
        qFatal("%s", d.error().c_str());
    return std::move(d.value());
}

void writeText(const std::string& path, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// Everything the metrics, labels and exports read, compared field by field.
void compareDatasets(const Dataset& a, const Dataset& b) {
    QCOMPARE(b.papers.size(), a.papers.size());
    for (size_t i = 0; i < a.papers.size(); ++i) {
        const Paper &pa = a.papers[i], &pb = b.papers[i];
        QCOMPARE(pb.id, pa.id);
        QCOMPARE(pb.title, pa.title);
        QCOMPARE(pb.abstract, pa.abstract);
        QCOMPARE(pb.paragraphs.size(), pa.paragraphs.size());
        for (size_t n = 0; n < pa.paragraphs.size(); ++n) {
            QCOMPARE(pb.paragraphs[n].section, pa.paragraphs[n].section);
            QCOMPARE(pb.paragraphs[n].text, pa.paragraphs[n].text);
        }
    }
    QCOMPARE(b.questions.size(), a.questions.size());
    for (size_t i = 0; i < a.questions.size(); ++i) {
        const Question &qa = a.questions[i], &qb = b.questions[i];
        QCOMPARE(qb.id, qa.id);
        QCOMPARE(qb.text, qa.text);
        QCOMPARE(qb.paper, qa.paper);
        QCOMPARE(qb.gold, qa.gold);
        QCOMPARE(qb.references.size(), qa.references.size());
        for (size_t r = 0; r < qa.references.size(); ++r) {
            const Reference &ra = qa.references[r], &rb = qb.references[r];
            QCOMPARE(rb.type, ra.type);
            QCOMPARE(rb.answer, ra.answer);
            QCOMPARE(rb.floatEvidence, ra.floatEvidence);
            QCOMPARE(rb.evidence.size(), ra.evidence.size());
            for (size_t e = 0; e < ra.evidence.size(); ++e) {
                QCOMPARE(rb.evidence[e].text, ra.evidence[e].text);
                QCOMPARE(rb.evidence[e].rule, ra.evidence[e].rule);
                QCOMPARE(rb.evidence[e].paragraph, ra.evidence[e].paragraph);
            }
        }
    }
    QCOMPARE(b.mapping.items, a.mapping.items);
    QCOMPARE(b.mapping.questions, a.mapping.questions);
    QCOMPARE(b.mapping.questionsWithTextEvidence, a.mapping.questionsWithTextEvidence);
    QCOMPARE(b.mapping.unanswerableQuestions, a.mapping.unanswerableQuestions);
}

void compareBm25(const Dataset& a, const Dataset& b) {
    Bm25Retriever ra, rb;
    const auto ea = evaluate(a, ra, JobContext{}), eb = evaluate(b, rb, JobContext{});
    QCOMPARE(eb.results.size(), ea.results.size());
    for (size_t i = 0; i < ea.results.size(); ++i) {
        QCOMPARE(eb.results[i].order, ea.results[i].order);
        QCOMPARE(eb.results[i].metrics.v, ea.results[i].metrics.v);
    }
    QCOMPARE(eb.summary.evaluated, ea.summary.evaluated);
    QCOMPARE(eb.summary.mean.v, ea.summary.mean.v);
    QCOMPARE(eb.summary.evidenceF1All, ea.summary.evidenceF1All);
}

// A small valid BEIR folder the malformed cases below each break in one file.
void writeValidBeir(const std::string& dir) {
    writeText(dir + "/corpus.jsonl", "{\"_id\": \"d1\", \"text\": \"alpha beta\"}\n"
                                     "{\"_id\": \"d2\", \"text\": \"gamma delta\"}\n");
    writeText(dir + "/queries.jsonl", "{\"_id\": \"q1\", \"text\": \"alpha?\"}\n"
                                      "{\"_id\": \"q2\", \"text\": \"gamma?\"}\n");
    writeText(dir + "/qrels/dev.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n");
}

} // namespace

class TestBeir : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // QASPER -> BEIR -> Dataset keeps papers, pools, gold, references and evidence mapping, so
    // every metric is the same; BM25 on both, per paper and on the corpus pool, agrees exactly.
    void roundTripQasperFixture() {
        QTemporaryDir dir;
        const Dataset original = qasperFixture();
        auto written = writeBeir(dir.path().toStdString(), original);
        QVERIFY2(written.ok(), written.ok() ? "" : written.error().c_str());
        QCOMPARE(written->queries, long(original.questions.size()));
        QVERIFY(isBeirFolder(dir.path().toStdString()));
        auto loaded = loadDataset(dir.path().toStdString(), "fixture");
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().c_str());
        QCOMPARE(loaded->format, std::string("beir"));
        compareDatasets(original, *loaded);
        compareBm25(original, *loaded);
        compareBm25(corpusView(original), corpusView(*loaded));
        // Written again from what was read: the same files (ids, answers, judgements kept).
        QTemporaryDir again;
        QVERIFY(writeBeir(again.path().toStdString(), *loaded).ok());
        for (const char* f : {"/corpus.jsonl", "/queries.jsonl", "/qrels/fixture.tsv"})
            QCOMPARE(readText(again.path().toStdString() + f), readText(dir.path().toStdString() + f));
    }

    // What a front end offers in its split list: the data's own splits, never ones it lacks.
    void availableSplitsAreTheDataOnes() {
        QCOMPARE(availableSplits(kData + "/beir-small"), (std::vector<std::string>{"dev", "test"}));
        QCOMPARE(availableSplits(kData + "/qasper"), (std::vector<std::string>{"fixture"}));
        QTemporaryDir dir;
        for (const char* name : {"qasper-dev-v0.3-part1.json", "qasper-dev-v0.3-part2.json", "qasper-train-v0.3.json",
                                 "qasper-.json", "notes.json", "qasper-test.txt"})
            QVERIFY(QFile(dir.filePath(name)).open(QIODevice::WriteOnly));
        QCOMPARE(availableSplits(dir.path().toStdString()), (std::vector<std::string>{"dev", "train"}));
        QVERIFY(availableSplits(dir.filePath("qasper-train-v0.3.json").toStdString()).empty()); // a single file
        QVERIFY(availableSplits(dir.filePath("missing").toStdString()).empty());
    }

    // A BEIR set without paper metadata: one pool, titles as sections, answers from the usual
    // fields, gold = score > 0, the split = the queries its qrels judge.
    void genericBeirFolder() {
        auto d = loadBeir(kData + "/beir-small", "test");
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().c_str());
        QCOMPARE(d->papers.size(), size_t(1));
        QCOMPARE(d->papers[0].paragraphs.size(), size_t(5));
        QCOMPARE(d->papers[0].paragraphs[0].section, std::string("Photosynthesis"));
        QCOMPARE(d->papers[0].paragraphs[3].id, std::string("4")); // an integer _id
        QCOMPARE(d->questions.size(), size_t(4));                  // q5 is judged in dev only
        QCOMPARE(d->questions[1].gold, std::vector<int>{1});       // score 0 is not gold
        const auto c = countDataset(*d);
        QCOMPARE(c.withGold, 4L);
        QCOMPARE(c.withAnswers, 3L); // q3 has none: labelling skips it
        QCOMPARE(d->questions[1].references.size(), size_t(2));
        QCOMPARE(d->questions[1].references[1].answer, std::string("the mitochondria"));
        QCOMPARE(d->questions[3].references[0].answer, std::string("a cell wall")); // top-level "answers"
        // Evidence F1 has something to compare: the relevant documents' text.
        QCOMPARE(d->questions[0].references[0].evidence.at(0).text, d->papers[0].paragraphs[0].text);
        auto dev = loadDataset(kData + "/beir-small", "dev");
        QVERIFY(dev.ok());
        QCOMPARE(dev->questions.size(), size_t(1));
    }

    // TREC exports of BEIR data name documents by their corpus-ids, in both pools; QASPER keeps p<index>.
    void trecExportUsesCorpusIds() {
        auto d = loadBeir(kData + "/beir-small", "test");
        QVERIFY(d.ok());
        QTemporaryDir dir;
        const std::string run = dir.filePath("run.trec").toStdString(), qrels = dir.filePath("run.qrels").toStdString();
        for (const Dataset& view : {d.value(), corpusView(*d)}) {
            Bm25Retriever bm25;
            const auto out = evaluate(view, bm25, JobContext{});
            QVERIFY(writeTrecRun(run, out.results, "t", datasetDocnos(view)).ok());
            QVERIFY(writeQrels(qrels, out.results, datasetDocnos(view)).ok());
            QVERIFY2(readText(run).find("q4 Q0 4 1 ") != std::string::npos, readText(run).c_str());
            QVERIFY(readText(run).find(" p0 ") == std::string::npos);
            QCOMPARE(readText(qrels), std::string("q1 0 d1 1\nq2 0 d2 1\nq3 0 d3 1\nq4 0 4 1\n"));
        }
        const Dataset q = qasperFixture();
        Bm25Retriever bm25;
        const auto out = evaluate(q, bm25, JobContext{});
        QVERIFY(writeQrels(qrels, out.results, datasetDocnos(q)).ok());
        QVERIFY(readText(qrels).find(" 0 p") != std::string::npos);
    }

    void malformedLines_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("content");
        QTest::addColumn<QString>("expected"); // FILE:LINE: problem, FILE relative to the folder
        QTest::newRow("corpus not JSON") << "corpus.jsonl"
                                         << "{\"_id\": \"d1\", \"text\": \"a\"}\n{\"_id\": \"d2\", \"text\": \"b\n"
                                         << "corpus.jsonl:2: malformed JSON";
        QTest::newRow("corpus not an object") << "corpus.jsonl"
                                              << "\n[1, 2]\n"
                                              << "corpus.jsonl:2: is array, expected a JSON object";
        QTest::newRow("corpus no _id") << "corpus.jsonl"
                                       << "{\"text\": \"a\"}\n"
                                       << "corpus.jsonl:1: missing '_id'";
        QTest::newRow("corpus no text") << "corpus.jsonl"
                                        << "{\"_id\": \"d1\"}\n"
                                        << "corpus.jsonl:1: missing 'text'";
        QTest::newRow("corpus text number") << "corpus.jsonl"
                                            << "{\"_id\": \"d1\", \"text\": 5}\n"
                                            << "corpus.jsonl:1: 'text' must be a string, is number";
        QTest::newRow("corpus duplicate") << "corpus.jsonl"
                                          << "{\"_id\": \"d1\", \"text\": \"a\"}\n{\"_id\": \"d2\", \"text\": \"b\"}\n"
                                             "{\"_id\": \"d1\", \"text\": \"c\"}\n"
                                          << "corpus.jsonl:3: document 'd1' appears twice";
        QTest::newRow("corpus paper on some")
            << "corpus.jsonl"
            << "{\"_id\": \"d1\", \"text\": \"a\", \"metadata\": {\"paper\": \"p\"}}\n"
               "{\"_id\": \"d2\", \"text\": \"b\"}\n"
            << "corpus.jsonl:2: no 'metadata.paper'";
        QTest::newRow("queries no text") << "queries.jsonl"
                                         << "{\"_id\": \"q1\", \"text\": \"x\"}\n{\"_id\": \"q2\"}\n"
                                         << "queries.jsonl:2: missing 'text'";
        QTest::newRow("queries duplicate") << "queries.jsonl"
                                           << "{\"_id\": \"q1\", \"text\": \"x\"}\n{\"_id\": \"q1\", \"text\": \"y\"}\n"
                                           << "queries.jsonl:2: query 'q1' appears twice";
        QTest::newRow("queries bad answers") << "queries.jsonl"
                                             << "{\"_id\": \"q1\", \"text\": \"x\", \"metadata\": {\"answers\": [1]}}\n"
                                             << "queries.jsonl:1: 'metadata.answers' holds a number";
        QTest::newRow("queries bad reference type")
            << "queries.jsonl"
            << "{\"_id\": \"q1\", \"text\": \"x\", \"metadata\": {\"references\": [{\"type\": \"maybe\"}]}}\n"
            << "queries.jsonl:1: metadata.references type 'maybe' is unknown";
        QTest::newRow("queries evidence unknown doc")
            << "queries.jsonl"
            << "{\"_id\": \"q1\", \"text\": \"x\"}\n{\"_id\": \"q2\", \"text\": \"y\", \"metadata\": {\"references\": "
               "[{\"type\": \"none\", \"evidence\": [{\"text\": \"t\", \"doc\": \"d9\"}]}]}}\n"
            << "queries.jsonl:2: evidence document 'd9' is not in corpus.jsonl";
        QTest::newRow("qrels spaces") << "qrels/dev.tsv"
                                      << "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2 0 d2 1\n"
                                      << "qrels/dev.tsv:3: 1 column(s), expected 3";
        QTest::newRow("qrels score") << "qrels/dev.tsv"
                                     << "q1\td1\thigh\n"
                                     << "qrels/dev.tsv:1: score 'high' is not an integer";
        QTest::newRow("qrels unknown query") << "qrels/dev.tsv"
                                             << "query-id\tcorpus-id\tscore\nq7\td1\t1\n"
                                             << "qrels/dev.tsv:2: query 'q7' is not in queries.jsonl";
        QTest::newRow("qrels unknown doc") << "qrels/dev.tsv"
                                           << "query-id\tcorpus-id\tscore\nq1\td1\t1\n\nq2\td9\t1\n"
                                           << "qrels/dev.tsv:4: document 'd9' is not in corpus.jsonl";
        QTest::newRow("qrels empty") << "qrels/dev.tsv"
                                     << "query-id\tcorpus-id\tscore\n"
                                     << "qrels/dev.tsv: holds no judgement";
    }

    // Each malformed line is refused with its file and line number; the files are left as they were.
    void malformedLines() {
        QFETCH(QString, file);
        QFETCH(QString, content);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        writeValidBeir(root);
        QVERIFY(loadBeir(root, "dev").ok());
        writeText(root + "/" + file.toStdString(), content.toStdString());
        auto d = loadBeir(root, "dev");
        QVERIFY(!d.ok());
        const std::string want = root + "/" + expected.toStdString();
        QVERIFY2(d.error().find(want) != std::string::npos, (d.error() + " | wanted: " + want).c_str());
        QCOMPARE(readText(root + "/" + file.toStdString()), content.toStdString());
    }

    // The fixture folder with malformed lines: the first one (corpus.jsonl line 3) is named.
    void malformedFixture() {
        auto d = loadDataset(kData + "/beir-malformed", "test");
        QVERIFY(!d.ok());
        QVERIFY2(d.error().find("beir-malformed/corpus.jsonl:3: malformed JSON") != std::string::npos,
                 d.error().c_str());
    }

    void missingFilesAreNamed() {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        writeValidBeir(root);
        auto d = loadBeir(root, "test");
        QVERIFY(!d.ok());
        QVERIFY2(d.error().find(root + "/qrels/test.tsv: missing (splits here: dev)") != std::string::npos,
                 d.error().c_str());
        std::filesystem::remove(root + "/corpus.jsonl");
        d = loadBeir(root, "dev");
        QVERIFY2(d.error().find(root + "/corpus.jsonl: missing") != std::string::npos, d.error().c_str());
        QCOMPARE(detectDataFormat(root), DataFormat::Qasper); // no corpus: not taken for BEIR
        QVERIFY(!parseDataFormat("csv").ok());
    }

    // Exporting over an existing BEIR folder is refused; what is there stays unchanged.
    void writeRefusesExistingFolder() {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        writeValidBeir(root);
        const std::string before = readText(root + "/corpus.jsonl");
        auto w = writeBeir(root, qasperFixture());
        QVERIFY(!w.ok());
        QVERIFY2(w.error().find(root + "/corpus.jsonl: already exists") != std::string::npos, w.error().c_str());
        QCOMPARE(readText(root + "/corpus.jsonl"), before);
        QVERIFY(!std::filesystem::exists(root + "/qrels/fixture.tsv"));
    }
};

QTEST_GUILESS_MAIN(TestBeir)
#include "tst_beir.moc"
