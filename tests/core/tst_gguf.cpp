// GGUF reader: dequantisation against gguf-py goldens, a GGUFWriter file read back whole, and
// hostile files (crafted here, or tiny.gguf cut at every byte) that must fail cleanly.
// Goldens: scripts/goldens/gguf_goldens.py.
#include "uae/gguf.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

using namespace uae;

namespace {

const std::string kDir = std::string(UAE_TEST_DATA_DIR) + "/gguf/";

std::string readAll(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<float> readFloats(const std::string& p) {
    const std::string bytes = readAll(p);
    std::vector<float> out(bytes.size() / 4);
    std::memcpy(out.data(), bytes.data(), out.size() * 4);
    return out;
}

// The value of a getter that must succeed (a failure stops the run with the message, instead of
// reading an empty Result).
template <class T> T must(Result<T> r) {
    if (!r)
        qFatal("%s", r.error().c_str());
    return std::move(r).value();
}

void writeAll(const std::string& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Compares with goldens: non-finite values must agree in kind (any NaN matches any NaN, since
// hardware half conversion may quiet a signalling NaN); finite ones give the max abs difference.
struct Comparison {
    double maxDiff = 0;
    int bitDifferences = 0;
    int kindMismatches = 0;
};
Comparison compare(const std::vector<float>& got, const std::vector<float>& want) {
    Comparison c;
    for (size_t i = 0; i < got.size() && i < want.size(); ++i) {
        if (std::isnan(got[i]) || std::isnan(want[i]) || std::isinf(got[i]) || std::isinf(want[i])) {
            const bool same = (std::isnan(got[i]) && std::isnan(want[i])) || got[i] == want[i];
            c.kindMismatches += same ? 0 : 1;
            continue;
        }
        c.maxDiff = std::max(c.maxDiff, std::fabs(double(got[i]) - double(want[i])));
        c.bitDifferences += std::memcmp(&got[i], &want[i], 4) != 0 ? 1 : 0;
    }
    return c;
}

// Little-endian GGUF pieces for hand-made files.
struct Bytes {
    std::string s;
    template <class T> Bytes& put(T v) {
        s.append(reinterpret_cast<const char*>(&v), sizeof v);
        return *this;
    }
    Bytes& u32(std::uint32_t v) { return put(v); }
    Bytes& u64(std::uint64_t v) { return put(v); }
    Bytes& str(const std::string& v) {
        u64(v.size());
        s += v;
        return *this;
    }
};

std::string kv(const std::string& key, GgufValueType type, const std::string& payload) {
    Bytes b;
    b.str(key).u32(static_cast<std::uint32_t>(type));
    return b.s + payload;
}
std::string kvString(const std::string& key, const std::string& v) {
    return kv(key, GgufValueType::String, Bytes().str(v).s);
}
std::string kvU32(const std::string& key, std::uint32_t v) {
    return kv(key, GgufValueType::U32, Bytes().u32(v).s);
}
std::string arrayHeader(GgufValueType elem, std::uint64_t count) {
    return Bytes().u32(static_cast<std::uint32_t>(elem)).u64(count).s;
}
std::string tensorInfo(const std::string& name, std::vector<std::int64_t> dims, std::uint32_t type,
                       std::uint64_t offset) {
    Bytes b;
    b.str(name).u32(static_cast<std::uint32_t>(dims.size()));
    for (auto d : dims)
        b.put(d);
    return b.u32(type).u64(offset).s;
}

// A file: header, key/values, tensor infos, padding to `alignment`, then `dataBytes` of data.
// The defaults make a valid file with one 32x2 Q8_0 tensor (68 bytes, padded to 96); the 160
// bytes of data leave room for a second tensor at offset 160 in some cases.
struct Spec {
    std::string magic = "GGUF";
    std::uint32_t version = 3;
    std::optional<std::uint64_t> tensorCount, kvCount; // default: the number of entries below
    std::vector<std::string> kvs{kvString("general.architecture", "llama")};
    std::vector<std::string> infos{tensorInfo("w", {32, 2}, 8, 0)};
    std::uint64_t alignment = 32;
    std::uint64_t dataBytes = 160;
};
QByteArray build(const Spec& spec) {
    Bytes b;
    b.s = spec.magic;
    b.u32(spec.version).u64(spec.tensorCount.value_or(spec.infos.size())).u64(spec.kvCount.value_or(spec.kvs.size()));
    for (const auto& e : spec.kvs)
        b.s += e;
    for (const auto& e : spec.infos)
        b.s += e;
    while (b.s.size() % spec.alignment)
        b.s.push_back('\0');
    b.s.append(spec.dataBytes, '\x11');
    return QByteArray(b.s.data(), static_cast<qsizetype>(b.s.size()));
}
Spec withKv(std::string entry) {
    Spec s;
    s.kvs.push_back(std::move(entry));
    return s;
}
Spec withInfo(std::string entry, std::uint64_t dataBytes = 160) {
    Spec s;
    s.infos = {std::move(entry)};
    s.dataBytes = dataBytes;
    return s;
}

} // namespace

class TestGguf : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string path(const char* name) { return m_dir.filePath(name).toStdString(); }

    std::shared_ptr<GgufFile> tiny() {
        auto f = GgufFile::open(kDir + "tiny.gguf");
        if (!f)
            qFatal("%s", f.error().c_str());
        return f.value();
    }

    // Writes bytes to a file and expects open() to fail with the file name and `expected`.
    void expectRefused(const QByteArray& bytes, const QString& expected) {
        const std::string p = path("hostile.gguf");
        writeAll(p, bytes.toStdString());
        auto f = GgufFile::open(p);
        QVERIFY2(!f.ok(), "a hostile file was accepted");
        const QString msg = QString::fromStdString(f.error());
        QVERIFY2(msg.startsWith(QString::fromStdString(p) + ": "), qPrintable(msg));
        QVERIFY2(msg.contains(expected), qPrintable(msg));
    }

private Q_SLOTS:
    void dequantizeMatchesGguf_data() {
        QTest::addColumn<int>("type");
        for (GgmlType t : {GgmlType::F32, GgmlType::F16, GgmlType::BF16, GgmlType::Q8_0, GgmlType::Q4_0, GgmlType::Q4_1,
                           GgmlType::Q5_0, GgmlType::Q5_1, GgmlType::Q4_K, GgmlType::Q5_K, GgmlType::Q6_K})
            QTest::newRow(ggmlTypeName(t)) << int(t);
    }
    void dequantizeMatchesGguf() {
        QFETCH(int, type);
        const auto t = static_cast<GgmlType>(type);
        const std::string stem = kDir + "dequant_" + ggmlTypeName(t);
        const std::string raw = readAll(stem + ".bin");
        const std::vector<float> want = readFloats(stem + ".f32");
        QVERIFY(!raw.empty() && !want.empty());
        QVERIFY(ggmlCanDequantize(t));
        const auto n = static_cast<std::int64_t>(want.size());
        QCOMPARE(must(ggmlRowBytes(t, n)), std::uint64_t(raw.size()));
        std::vector<float> got(want.size(), -7.0f);
        auto st = dequantize(t, reinterpret_cast<const std::uint8_t*>(raw.data()), n, got.data());
        QVERIFY2(st.ok(), st.error().c_str());
        const Comparison c = compare(got, want);
        qInfo("%s: %lld values, max abs diff %g, %d not bit-identical (expected 0)", ggmlTypeName(t),
              static_cast<long long>(n), c.maxDiff, c.bitDifferences);
        QCOMPARE(c.kindMismatches, 0);
        QVERIFY2(c.maxDiff <= 1e-6, qPrintable(QString("max abs diff %1").arg(c.maxDiff)));
    }

    void halfConversionIsExact() {
        const std::uint16_t h[] = {0x0001, 0x03ff, 0x0400, 0x7bff, 0x7c00, 0xfc00, 0x8000, 0x3c00};
        float y[8];
        QVERIFY(dequantize(GgmlType::F16, reinterpret_cast<const std::uint8_t*>(h), 8, y).ok());
        QCOMPARE(y[0], std::ldexp(1.0f, -24));
        QCOMPARE(y[1], 1023 * std::ldexp(1.0f, -24));
        QCOMPARE(y[2], std::ldexp(1.0f, -14));
        QCOMPARE(y[3], 65504.0f);
        QVERIFY(std::isinf(y[4]) && y[4] > 0 && std::isinf(y[5]) && y[5] < 0);
        QVERIFY(y[6] == 0.0f && std::signbit(y[6]));
        QCOMPARE(y[7], 1.0f);
    }

    void typeTable_data() {
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("block");
        QTest::addColumn<qint64>("bytesFor512");
        QTest::addColumn<bool>("dequantisable");
        QTest::newRow("F32") << 0 << "F32" << 1 << qint64(2048) << true;
        QTest::newRow("BF16") << 30 << "BF16" << 1 << qint64(1024) << true;
        QTest::newRow("Q4_1") << 3 << "Q4_1" << 32 << qint64(320) << true;
        QTest::newRow("Q5_1") << 7 << "Q5_1" << 32 << qint64(384) << true;
        QTest::newRow("Q4_K") << 12 << "Q4_K" << 256 << qint64(288) << true;
        QTest::newRow("Q6_K") << 14 << "Q6_K" << 256 << qint64(420) << true;
        QTest::newRow("Q2_K") << 10 << "Q2_K" << 256 << qint64(168) << false;
        QTest::newRow("IQ4_NL") << 20 << "IQ4_NL" << 32 << qint64(288) << false;
        QTest::newRow("I64") << 27 << "I64" << 1 << qint64(4096) << false;
        QTest::newRow("removed 4") << 4 << "type 4" << 0 << qint64(-1) << false;
        QTest::newRow("unknown 99") << 99 << "type 99" << 0 << qint64(-1) << false;
    }
    void typeTable() {
        QFETCH(int, type);
        QFETCH(QString, name);
        QFETCH(int, block);
        QFETCH(qint64, bytesFor512);
        QFETCH(bool, dequantisable);
        const auto t = static_cast<GgmlType>(type);
        QCOMPARE(QString(ggmlTypeName(t)), name);
        QCOMPARE(ggmlBlockSize(t), block);
        QCOMPARE(ggmlCanDequantize(t), dequantisable);
        auto bytes = ggmlRowBytes(t, 512);
        QCOMPARE(bytes.ok(), bytesFor512 >= 0);
        if (bytes)
            QCOMPARE(qint64(bytes.value()), bytesFor512);
        float out[512];
        const std::vector<std::uint8_t> zeros(4096);
        QCOMPARE(dequantize(t, zeros.data(), 512, out).ok(), dequantisable);
    }

    void rowBytesErrors() {
        QVERIFY(ggmlRowBytes(GgmlType::Q4_0, 33).error().find("not a whole number of blocks of 32") !=
                std::string::npos);
        QVERIFY(!ggmlRowBytes(GgmlType::F32, -1).ok());
        QVERIFY(ggmlRowBytes(GgmlType::I64, INT64_MAX).error().find("overflow") != std::string::npos);
        float y[32];
        const std::uint8_t z[34] = {};
        QVERIFY(!dequantize(GgmlType::Q8_0, z, 16, y).ok());
        QVERIFY(dequantize(GgmlType::Q8_0, z, 0, y).ok());
        // Found by fuzz_gguf: an empty F32 tensor reached memcpy with the empty vector's null data().
        QVERIFY(dequantize(GgmlType::F32, z, 0, nullptr).ok());
    }

    void tinyFileHeader() {
        auto f = tiny();
        QCOMPARE(f->version(), 3u);
        QCOMPARE(f->alignment(), std::uint64_t(64));
        QCOMPARE(f->dataOffset() % 64, std::uint64_t(0));
        QCOMPARE(f->tensors().size(), size_t(14));
        QCOMPARE(f->metadata().size(), size_t(31)); // 29 test.* keys, architecture, alignment
        QCOMPARE(must(f->getString("general.architecture")), std::string("llama"));
        QCOMPARE(must(f->getInt("general.alignment")), std::int64_t(64));
        QCOMPARE(f->path(), kDir + "tiny.gguf");
        QVERIFY(!f->findTensor("nope") && !f->find("nope"));
        QVERIFY(f->readFloat32("nope").error().find("no tensor named 'nope'") != std::string::npos);
    }

    // One row per tensor line of tiny.manifest (what gguf-py's GGUFReader saw).
    void tinyTensors_data() {
        QTest::addColumn<QString>("line");
        std::istringstream in(readAll(kDir + "tiny.manifest"));
        int rows = 0;
        for (std::string line; std::getline(in, line);)
            if (line.rfind("tensor ", 0) == 0) {
                QTest::newRow(line.substr(7, line.find(' ', 7) - 7).c_str()) << QString::fromStdString(line);
                ++rows;
            }
        QCOMPARE(rows, 14);
    }
    void tinyTensors() {
        QFETCH(QString, line);
        std::istringstream in(line.toStdString());
        std::string tag, name, type;
        int nDims = 0;
        in >> tag >> name >> type >> nDims;
        std::vector<std::int64_t> dims(nDims);
        for (auto& d : dims)
            in >> d;
        std::uint64_t offset = 0, bytes = 0;
        size_t first = 0, count = 0;
        in >> offset >> bytes >> first >> count;
        auto f = tiny();
        const GgufTensor* t = f->findTensor(name);
        QVERIFY(t);
        QCOMPARE(std::string(ggmlTypeName(t->type)), type);
        QCOMPARE(t->dims, dims);
        QCOMPARE(t->shape(), std::vector<std::int64_t>(dims.rbegin(), dims.rend()));
        QCOMPARE(t->offset, offset);
        QCOMPARE(t->bytes, bytes);
        QCOMPARE(t->numel(), std::int64_t(count));
        QCOMPARE((f->dataOffset() + t->offset) % f->alignment(), std::uint64_t(0));
        auto values = f->readFloat32(name);
        QVERIFY2(values.ok(), values.error().c_str());
        const std::vector<float> all = readFloats(kDir + "tiny.f32");
        QVERIFY(first + count <= all.size());
        const Comparison c = compare(values.value(), {all.begin() + first, all.begin() + first + count});
        QCOMPARE(c.kindMismatches, 0);
        QCOMPARE(c.maxDiff, 0.0);
    }

    void tinyMetadataTypes_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("elem");
        QTest::addColumn<qint64>("count");
        QTest::addColumn<QString>("described");
        const int A = int(GgufValueType::Array);
        QTest::newRow("u8") << "test.u8" << 0 << 0 << qint64(0) << "200";
        QTest::newRow("i8") << "test.i8" << 1 << 0 << qint64(0) << "-100";
        QTest::newRow("u16") << "test.u16" << 2 << 0 << qint64(0) << "60000";
        QTest::newRow("i16") << "test.i16" << 3 << 0 << qint64(0) << "-30000";
        QTest::newRow("u32") << "test.u32" << 4 << 0 << qint64(0) << "4000000000";
        QTest::newRow("i32") << "test.i32" << 5 << 0 << qint64(0) << "-2000000000";
        QTest::newRow("f32") << "test.f32" << 6 << 0 << qint64(0) << "0.100000001";
        QTest::newRow("bool") << "test.bool" << 7 << 0 << qint64(0) << "true";
        QTest::newRow("string") << "test.string" << 8 << 0 << qint64(0)
                                << QString::fromUtf8("\"h\u00e9llo, GGUF \u2713\"");
        QTest::newRow("u64") << "test.u64.huge" << 10 << 0 << qint64(0) << "9223372036854775813";
        QTest::newRow("i64") << "test.i64" << 11 << 0 << qint64(0) << "-9000000000000000000";
        QTest::newRow("f64") << "test.f64" << 12 << 0 << qint64(0) << "2.7182818284590451";
        QTest::newRow("arr i32") << "test.arr.i32" << A << 5 << qint64(3) << "[i32 x 3] 1, -2, 3";
        QTest::newRow("arr f32") << "test.arr.f32" << A << 6 << qint64(3) << "[f32 x 3] 0.5, -1.25, 0.00100000005";
        QTest::newRow("arr str") << "test.arr.str" << A << 8 << qint64(3)
                                 << QString::fromUtf8("[string x 3] \"a\", \"\", \"\u00fcn\u00ef\"");
        QTest::newRow("arr bool") << "test.arr.bool" << A << 7 << qint64(3) << "[bool x 3] true, false, true";
        QTest::newRow("arr nested") << "test.arr.nested" << A << A << qint64(2) << "[array x 2]";
        QTest::newRow("arr nested str") << "test.arr.nested.str" << A << A << qint64(2) << "[array x 2]";
        QTest::newRow("arr u8") << "test.arr.u8" << A << 0 << qint64(2) << "[u8 x 2] 0, 255";
        QTest::newRow("arr i8") << "test.arr.i8" << A << 1 << qint64(2) << "[i8 x 2] -128, 127";
        QTest::newRow("arr u16") << "test.arr.u16" << A << 2 << qint64(1) << "[u16 x 1] 65535";
        QTest::newRow("arr i16") << "test.arr.i16" << A << 3 << qint64(1) << "[i16 x 1] -32768";
        QTest::newRow("arr u32") << "test.arr.u32" << A << 4 << qint64(1) << "[u32 x 1] 4294967295";
        QTest::newRow("arr u64") << "test.arr.u64" << A << 10 << qint64(2) << "[u64 x 2] 1, 18446744073709551615";
        QTest::newRow("arr i64") << "test.arr.i64" << A << 11 << qint64(2) << "[i64 x 2] -9223372036854775808, 7";
        QTest::newRow("arr f64") << "test.arr.f64" << A << 12 << qint64(2) << "[f64 x 2] 1.0000000000000001e+300, -2.5";
        QTest::newRow("missing") << "test.none" << -1 << 0 << qint64(0) << "(missing)";
    }
    void tinyMetadataTypes() {
        QFETCH(QString, key);
        QFETCH(int, type);
        QFETCH(int, elem);
        QFETCH(qint64, count);
        QFETCH(QString, described);
        auto f = tiny();
        const GgufValue* v = f->find(key.toStdString());
        QCOMPARE(v != nullptr, type >= 0);
        if (v) {
            QCOMPARE(int(v->type), type);
            if (v->type == GgufValueType::Array) {
                QCOMPARE(int(v->elemType), elem);
                QCOMPARE(qint64(v->count), count);
            }
        }
        QCOMPARE(QString::fromStdString(f->describe(key.toStdString())), described);
    }

    void tinyMetadataValues() {
        auto f = tiny();
        QCOMPARE(must(f->getInt("test.u8")), 200);
        QCOMPARE(must(f->getInt("test.i16")), -30000);
        QCOMPARE(must(f->getInt("test.u32")), 4000000000LL);
        QCOMPARE(must(f->getInt("test.u64")), 123456789012LL);
        QCOMPARE(must(f->getInt("test.i64")), -9000000000000000000LL);
        QCOMPARE(must(f->getFloat("test.f32")), double(0.1f));
        QCOMPARE(must(f->getFloat("test.f64")), 2.718281828459045);
        QCOMPARE(must(f->getFloat("test.i32")), -2e9);
        QCOMPARE(must(f->getFloat("test.u64.huge")), 9223372036854775813.0);
        QCOMPARE(must(f->getBool("test.bool")), true);
        QCOMPARE(must(f->getBool("test.bool.false")), false);
        QCOMPARE(must(f->getString("test.string")), std::string("h\xc3\xa9llo, GGUF \xe2\x9c\x93"));
        QCOMPARE(must(f->getString("test.string.empty")), std::string());
        QCOMPARE(must(f->getStrings("test.arr.str")), (std::vector<std::string>{"a", "", "\xc3\xbcn\xc3\xaf"}));
        QCOMPARE(must(f->getInts("test.arr.i32")), (std::vector<std::int64_t>{1, -2, 3}));
        QCOMPARE(must(f->getInts("test.arr.u32")), (std::vector<std::int64_t>{4294967295LL}));
        QCOMPARE(must(f->getInts("test.arr.i64")), (std::vector<std::int64_t>{INT64_MIN, 7}));
        QCOMPARE(must(f->getFloats("test.arr.f32")), (std::vector<double>{0.5, -1.25, double(0.001f)}));
        QCOMPARE(must(f->getFloats("test.arr.f64")), (std::vector<double>{1e300, -2.5}));
        QCOMPARE(must(f->getFloats("test.arr.i32")), (std::vector<double>{1, -2, 3}));
    }

    void getterErrors_data() {
        QTest::addColumn<QString>("getter");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing") << "string"
                                 << "test.none"
                                 << "no metadata key 'test.none'";
        QTest::newRow("string of u32") << "string"
                                       << "test.u32"
                                       << "'test.u32' is u32, not a string";
        QTest::newRow("int of f32") << "int"
                                    << "test.f32"
                                    << "'test.f32' is f32, not an integer";
        QTest::newRow("int of bool") << "int"
                                     << "test.bool"
                                     << "is bool, not an integer";
        QTest::newRow("int of huge u64") << "int"
                                         << "test.u64.huge"
                                         << "9223372036854775813 does not fit in int64";
        QTest::newRow("float of string") << "float"
                                         << "test.string"
                                         << "is string, not a number";
        QTest::newRow("bool of u8") << "bool"
                                    << "test.u8"
                                    << "is u8, not a bool";
        QTest::newRow("strings of i32s") << "strings"
                                         << "test.arr.i32"
                                         << "is array of i32, not an array of string";
        QTest::newRow("strings of string") << "strings"
                                           << "test.string"
                                           << "is string, not an array of string";
        QTest::newRow("ints of f32s") << "ints"
                                      << "test.arr.f32"
                                      << "is array of f32, not an array of integers";
        QTest::newRow("ints of nested") << "ints"
                                        << "test.arr.nested"
                                        << "is array of array";
        QTest::newRow("ints of huge u64") << "ints"
                                          << "test.arr.u64"
                                          << "test.arr.u64'[1] = 18446744073709551615 does not fit";
        QTest::newRow("floats of strings") << "floats"
                                           << "test.arr.str"
                                           << "is array of string, not an array of numbers";
    }
    void getterErrors() {
        QFETCH(QString, getter);
        QFETCH(QString, key);
        QFETCH(QString, expected);
        auto f = tiny();
        const std::string k = key.toStdString();
        std::string err;
        if (getter == "string")
            err = f->getString(k).error();
        else if (getter == "int")
            err = f->getInt(k).error();
        else if (getter == "float")
            err = f->getFloat(k).error();
        else if (getter == "bool")
            err = f->getBool(k).error();
        else if (getter == "strings")
            err = f->getStrings(k).error();
        else if (getter == "ints")
            err = f->getInts(k).error();
        else if (getter == "floats")
            err = f->getFloats(k).error();
        const QString msg = QString::fromStdString(err);
        QVERIFY2(msg.startsWith(QString::fromStdString(f->path()) + ": "), qPrintable(msg));
        QVERIFY2(msg.contains(expected), qPrintable(msg));
    }

    // Cutting tiny.gguf anywhere must give a clean error naming the file, never a crash.
    void truncatedAtEveryByte() {
        const std::string full = readAll(kDir + "tiny.gguf");
        const std::string p = path("cut.gguf");
        writeAll(p, full);
        QVERIFY(GgufFile::open(p).ok());
        std::set<std::string> kinds;
        for (size_t n = full.size(); n-- > 0;) {
            std::filesystem::resize_file(p, n);
            auto f = GgufFile::open(p);
            QVERIFY2(!f.ok(), qPrintable(QString("accepted at %1 bytes").arg(n)));
            QVERIFY2(f.error().rfind(p + ": ", 0) == 0, f.error().c_str());
            kinds.insert(f.error().substr(p.size() + 2, 24));
        }
        qInfo("%zu truncations refused, %zu distinct message starts", full.size(), kinds.size());
        QVERIFY(kinds.size() >= 6);
    }

    void hostileHeaderAndMetadata_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        Spec s;
        QTest::newRow("empty file") << QByteArray() << "empty file";
        QTest::newRow("three bytes") << QByteArray("GGU") << "truncated in header (magic)";
        s.magic = "GGML";
        QTest::newRow("bad magic") << build(s) << "not a GGUF file (magic bytes 'GGML', expected 'GGUF')";
        s.magic = std::string("\x00\x01GG", 4);
        QTest::newRow("binary magic") << build(s) << "magic bytes '\\x00\\x01GG'";
        s = {}, s.version = 1;
        QTest::newRow("v1") << build(s) << "GGUF v1 is not supported";
        s.version = 0x03000000;
        QTest::newRow("big-endian") << build(s) << "big-endian";
        s.version = 4;
        QTest::newRow("v4") << build(s) << "unsupported GGUF version 4";
        s = {}, s.kvCount = 1ull << 60;
        QTest::newRow("huge kv count") << build(s) << "metadata count 1152921504606846976 exceeds";
        s = {}, s.tensorCount = ~0ull;
        QTest::newRow("huge tensor count") << build(s) << "tensor count 18446744073709551615 exceeds";
        s = {}, s.kvs = {Bytes().u64(1ull << 62).s + "abc"};
        QTest::newRow("huge key length") << build(s) << "metadata key 0: string length 4611686018427387904 exceeds";
        QTest::newRow("huge string value") << build(withKv(kv("k", GgufValueType::String, Bytes().u64(1ull << 40).s)))
                                           << "metadata key 1 (k): string length 1099511627776 exceeds";
        QTest::newRow("huge array count")
            << build(withKv(kv("k", GgufValueType::Array, arrayHeader(GgufValueType::U32, 1ull << 61))))
            << "array of 2305843009213693952 u32 values exceeds";
        QTest::newRow("huge string array")
            << build(withKv(kv("k", GgufValueType::Array, arrayHeader(GgufValueType::String, ~0ull))))
            << "array of 18446744073709551615 string values exceeds";
        QTest::newRow("huge inner array")
            << build(withKv(kv("k", GgufValueType::Array,
                               arrayHeader(GgufValueType::Array, 1) + arrayHeader(GgufValueType::I64, 1ull << 58))))
            << "array of 288230376151711744 i64 values exceeds";
        std::string deep;
        for (int i = 0; i < 12; ++i)
            deep += arrayHeader(GgufValueType::Array, 1);
        QTest::newRow("nested too deep") << build(withKv(kv("k", GgufValueType::Array, deep)))
                                         << "nested deeper than 8";
        QTest::newRow("invalid value type")
            << build(withKv(kv("k", GgufValueType(13), "xxxx"))) << "(k): invalid value type 13";
        QTest::newRow("invalid element type")
            << build(withKv(kv("k", GgufValueType::Array, arrayHeader(GgufValueType(99), 1))))
            << "array of invalid value type 99";
        QTest::newRow("empty key") << build(withKv(kvU32("", 1))) << "metadata key 1: empty key";
        QTest::newRow("duplicate key") << build(withKv(kvString("general.architecture", "x")))
                                       << "duplicate key 'general.architecture'";
        QTest::newRow("alignment 48") << build(withKv(kvU32("general.alignment", 48)))
                                      << "general.alignment 48 is not a power of two";
        QTest::newRow("alignment 0") << build(withKv(kvU32("general.alignment", 0)))
                                     << "general.alignment 0 is not a power of two";
        QTest::newRow("alignment u64") << build(withKv(kv("general.alignment", GgufValueType::U64, Bytes().u64(32).s)))
                                       << "general.alignment must be u32, not u64";
        s = {}, s.kvs.push_back(kvU32("llama.block_count", 30)), s.infos.clear(), s.dataBytes = 0, s.alignment = 1;
        QByteArray cut = build(s);
        cut.chop(2);
        QTest::newRow("truncated value") << cut << "truncated in metadata key 1 (llama.block_count)";
    }
    void hostileHeaderAndMetadata() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        expectRefused(bytes, expected);
    }

    void hostileTensors_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        QTest::newRow("5 dims") << build(withInfo(tensorInfo("w", {32, 1, 1, 1, 1}, 8, 0)))
                                << "tensor info 0 (w): 5 dimensions, at most 4";
        QTest::newRow("negative dim") << build(withInfo(tensorInfo("w", {32, -2}, 8, 0)))
                                      << "dimension 1 is negative (-2)";
        QTest::newRow("element overflow")
            << build(withInfo(tensorInfo("w", {1ll << 32, 1ll << 32}, 0, 0))) << "element count overflows";
        QTest::newRow("byte overflow") << build(withInfo(tensorInfo("w", {1ll << 62}, 27, 0)))
                                       << "overflow a 64-bit byte count";
        QTest::newRow("removed type") << build(withInfo(tensorInfo("w", {32}, 4, 0))) << "tensor type 4 is unknown";
        QTest::newRow("unknown type") << build(withInfo(tensorInfo("w", {32}, 1000, 0)))
                                      << "tensor type 1000 is unknown";
        QTest::newRow("row not whole blocks") << build(withInfo(tensorInfo("w", {16, 4}, 8, 0)))
                                              << "row length 16 is not a multiple of the Q8_0 block size 32";
        QTest::newRow("misaligned offset")
            << build(withInfo(tensorInfo("w", {32, 2}, 8, 8))) << "data offset 8 is not a multiple of the alignment 32";
        QTest::newRow("data past EOF") << build(withInfo(tensorInfo("w", {32, 2}, 8, 4096)))
                                       << "tensor 'w': data [4096, 4164)";
        QTest::newRow("offset near 2^64")
            << build(withInfo(tensorInfo("w", {32, 2}, 8, ~0ull - 31))) << "lies beyond the end of the file";
        QTest::newRow("data cut short") << build(withInfo(tensorInfo("w", {32, 2}, 8, 0), 50))
                                        << "beyond the end of the file";
        QTest::newRow("padding cut short")
            << build(withInfo(tensorInfo("w", {32, 2}, 8, 0), 80)) << "padded to the alignment 32";
        Spec s;
        s.infos.push_back(tensorInfo("w", {32}, 0, 160));
        s.dataBytes = 320;
        QTest::newRow("duplicate tensor") << build(s) << "duplicate tensor name 'w'";
        s = {}, s.dataBytes = 0, s.alignment = 1;
        QTest::newRow("no data section") << build(s) << "data section starts at";
        s = {}, s.infos = {Bytes().u64(30).s + std::string(25, 'a')}, s.dataBytes = 0, s.alignment = 1;
        QTest::newRow("name past EOF") << build(s) << "tensor info 0: string length 30 exceeds the 25 bytes left";
        const std::string info = tensorInfo("w", {32, 2}, 8, 0);
        s = {}, s.infos = {info.substr(0, info.size() - 3)}, s.dataBytes = 0, s.alignment = 1;
        QTest::newRow("offset cut") << build(s) << "truncated in tensor info 0 (w)";
    }
    void hostileTensors() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        expectRefused(bytes, expected);
    }

    void craftedValidFiles() {
        Spec s; // no general.alignment: 32; v2 reads like v3
        s.version = 2;
        s.kvs.push_back(kv("empty", GgufValueType::Array, arrayHeader(GgufValueType::String, 0)));
        s.kvs.push_back(kv("flag", GgufValueType::Bool, std::string(1, '\x07')));
        s.kvs.push_back(kvString("multi", "a\nb\x01"));
        s.infos.push_back(tensorInfo("scalar", {}, 0, 160));
        s.infos.push_back(tensorInfo("none", {0, 3}, 2, 192));
        s.dataBytes = 192;
        const std::string p = path("valid.gguf");
        writeAll(p, build(s).toStdString());
        auto f = GgufFile::open(p);
        QVERIFY2(f.ok(), f.error().c_str());
        QCOMPARE(f.value()->version(), 2u);
        QCOMPARE(f.value()->alignment(), std::uint64_t(32));
        QCOMPARE(must(f.value()->getStrings("empty")).size(), size_t(0));
        QCOMPARE(must(f.value()->getBool("flag")), true);
        QCOMPARE(f.value()->describe("multi"), std::string("\"a\\nb\\x01\""));
        QCOMPARE(f.value()->describe("empty"), std::string("[string x 0]"));
        QCOMPARE(f.value()->findTensor("scalar")->numel(), std::int64_t(1));
        QCOMPARE(must(f.value()->readFloat32("scalar")).size(), size_t(1));
        QCOMPARE(f.value()->findTensor("none")->bytes, std::uint64_t(0));
        QCOMPARE(must(f.value()->readFloat32("none")).size(), size_t(0));
        QCOMPARE(must(f.value()->readFloat32("w")),
                 std::vector<float>(64, 17 * (1297 * 0x1p-21f))); // q = 0x11, d = half 0x1111
    }

    void notAFile() {
        auto f = GgufFile::open(path("absent.gguf"));
        QVERIFY(!f.ok() && f.error().find("absent.gguf: cannot open") != std::string::npos);
        auto d = GgufFile::open(m_dir.path().toStdString());
        QVERIFY(!d.ok() && d.error().find("not a regular file") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestGguf)
#include "tst_gguf.moc"
