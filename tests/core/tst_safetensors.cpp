#include "uae/safetensors.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <fstream>

using namespace uae;

namespace {

std::string readAll(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// A file with one hand-written header and raw data bytes.
void writeRaw(const std::string& p, const std::string& header, const std::string& data) {
    std::ofstream out(p, std::ios::binary);
    std::uint64_t n = header.size();
    out.write(reinterpret_cast<const char*>(&n), 8); // little-endian host
    out << header << data;
}

} // namespace

class TestSafetensors : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string path(const char* name) { return m_dir.filePath(name).toStdString(); }

private Q_SLOTS:
    void writeThenRead() {
        const std::vector<float> a{1, 2, 3, 4, 5, 6}, b{-1.5f};
        const std::string p = path("rt.safetensors");
        QVERIFY(writeSafetensors(p, {{"a", {2, 3}, a.data()}, {"b", {1}, b.data()}}, {{"format", "pt"}}).ok());
        QVERIFY(!QFileInfo::exists(QString::fromStdString(p + ".tmp")));
        auto f = SafetensorsFile::open(p);
        QVERIFY2(f.ok(), f.error().c_str());
        QCOMPARE(f.value()->tensors().size(), size_t(2));
        QCOMPARE(f.value()->find("a")->shape, (std::vector<std::int64_t>{2, 3}));
        QCOMPARE(f.value()->readFloat32("a").value(), a);
        QCOMPARE(f.value()->readFloat32("b").value(), b);
        QCOMPARE(f.value()->metadata().at("format"), std::string("pt"));
    }

    void halfPrecisionConverted() {
        // F16 1.0 = 0x3c00, -2.0 = 0xc000, 2^-24 (smallest subnormal) = 0x0001; BF16 1.0 = 0x3f80.
        const std::uint16_t f16[] = {0x3c00, 0xc000, 0x0001};
        const std::uint16_t bf16[] = {0x3f80};
        std::string data(reinterpret_cast<const char*>(f16), 6);
        data += std::string(reinterpret_cast<const char*>(bf16), 2);
        const std::string p = path("half.safetensors");
        writeRaw(
            p,
            R"({"h":{"dtype":"F16","shape":[3],"data_offsets":[0,6]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[6,8]}})",
            data);
        auto f = SafetensorsFile::open(p);
        QVERIFY2(f.ok(), f.error().c_str());
        QCOMPARE(f.value()->readFloat32("h").value(), (std::vector<float>{1.0f, -2.0f, std::ldexp(1.0f, -24)}));
        QCOMPARE(f.value()->readFloat32("b").value(), (std::vector<float>{1.0f}));
    }

    // Found by fuzz_safetensors: reading an empty F32 tensor passed a null pointer to memcpy (UB).
    void emptyTensorReads() {
        const std::string p = path("empty.safetensors");
        writeRaw(p, R"({"e":{"dtype":"F32","shape":[0,4],"data_offsets":[0,0]}})", "");
        auto f = SafetensorsFile::open(p);
        QVERIFY2(f.ok(), f.error().c_str());
        auto v = f.value()->readFloat32("e");
        QVERIFY2(v.ok(), v.error().c_str());
        QVERIFY(v.value().empty());
    }

    void corruptFiles_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("truncated data") << "truncated"
                                        << "outside";
        QTest::newRow("header longer than file") << "header-size"
                                                 << "exceeds the file";
        QTest::newRow("malformed header") << "bad-json"
                                          << "malformed header JSON";
        QTest::newRow("shape disagrees with bytes") << "shape"
                                                    << "need 24";
        QTest::newRow("unknown dtype") << "dtype"
                                       << "unsupported dtype";
        QTest::newRow("tiny file") << "tiny"
                                   << "too small";
        QTest::newRow("overlapping tensors") << "overlap"
                                             << "overlap in the data section";
    }
    void corruptFiles() {
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        const std::string p = path("bad.safetensors");
        const std::vector<float> a{1, 2, 3, 4, 5, 6};
        QVERIFY(writeSafetensors(p, {{"a", {2, 3}, a.data()}}).ok());
        std::string bytes = readAll(p);
        if (kind == "truncated")
            bytes.resize(bytes.size() - 5);
        else if (kind == "header-size")
            bytes[0] = '\x7f', bytes[1] = '\x7f';
        else if (kind == "bad-json")
            bytes[9] = '}';
        else if (kind == "tiny")
            bytes.resize(4);
        if (kind == "shape")
            writeRaw(p, R"({"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}})", std::string(24, '\0'));
        else if (kind == "dtype")
            writeRaw(p, R"({"a":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}})", std::string(1, '\0'));
        else if (kind == "overlap")
            writeRaw(p,
                     R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                     R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                     std::string(12, '\0'));
        else
            std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
        auto f = SafetensorsFile::open(p);
        QVERIFY(!f.ok());
        QVERIFY2(f.error().find(p) != std::string::npos, f.error().c_str());
        QVERIFY2(f.error().find(expected.toStdString()) != std::string::npos, f.error().c_str());
    }

    void missingTensorNamed() {
        const std::vector<float> a{1};
        const std::string p = path("one.safetensors");
        QVERIFY(writeSafetensors(p, {{"a", {1}, a.data()}}).ok());
        auto r = SafetensorsFile::open(p).value()->readFloat32("nope");
        QVERIFY(!r.ok());
        QVERIFY(r.error().find("'nope'") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
