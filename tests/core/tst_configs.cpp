// The job configs' field tables (config_fields.h): every config round-trips through JSON, every
// field rejects what its table does not allow with a message naming the option and what is
// allowed, the presets differ from the defaults only where documented, and a malformed stored
// config names its source. Rows are generated from the tables, so a new setting is covered
// without editing this file.
#include "uae/job_answer.h"
#include "uae/job_eval.h"
#include "uae/job_label.h"
#include "uae/job_train.h"
#include "uae/run_types.h"
#include "uae/tool_configs.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <limits>
#include <memory>
#include <set>

using namespace uae;
using nlohmann::json;

Q_DECLARE_METATYPE(std::string)

namespace {

// One config object behind a type-independent face, so data rows can name the type.
class AnyConfig {
public:
    virtual ~AnyConfig() = default;
    // Bound to this object (which lives on the heap and never moves).
    virtual FieldList fields() = 0;
    virtual std::vector<FieldSpec> specs() const = 0;
    virtual std::string toJson() const = 0;
    virtual Status validate() const = 0;
    // A fresh object of the same type read from JSON.
    virtual Result<std::unique_ptr<AnyConfig>> fromJson(const std::string& text, const std::string& what) const = 0;
};

template <class C> class ConfigOf final : public AnyConfig {
public:
    ConfigOf() = default;
    explicit ConfigOf(C c) : m_config(std::move(c)) {}
    FieldList fields() override { return m_config.fields(); }
    std::vector<FieldSpec> specs() const override {
        std::vector<FieldSpec> out;
        for (const auto& f : C::fieldTable())
            out.push_back(f.spec);
        return out;
    }
    std::string toJson() const override { return m_config.toJson(); }
    Status validate() const override { return m_config.validate(); }
    Result<std::unique_ptr<AnyConfig>> fromJson(const std::string& text, const std::string& what) const override {
        auto c = C::fromJson(text, what);
        if (!c)
            return fail(c.error());
        return std::unique_ptr<AnyConfig>(std::make_unique<ConfigOf<C>>(std::move(c.value())));
    }

private:
    C m_config;
};

const QStringList kTypes = {"TrainConfig",     "EvalJobConfig", "LabelJobConfig",
                            "AnswerJobConfig", "ProcessConfig", "ModelToolConfig"};

std::unique_ptr<AnyConfig> makeConfig(const QString& type) {
    if (type == "TrainConfig")
        return std::make_unique<ConfigOf<TrainConfig>>();
    if (type == "EvalJobConfig")
        return std::make_unique<ConfigOf<EvalJobConfig>>();
    if (type == "LabelJobConfig")
        return std::make_unique<ConfigOf<LabelJobConfig>>();
    if (type == "AnswerJobConfig")
        return std::make_unique<ConfigOf<AnswerJobConfig>>();
    if (type == "ProcessConfig")
        return std::make_unique<ConfigOf<ProcessConfig>>();
    if (type == "ModelToolConfig")
        return std::make_unique<ConfigOf<ModelToolConfig>>();
    qFatal("unknown config type %s", qPrintable(type));
    return nullptr;
}

std::string shortest(double v) {
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
    return std::string(buffer, end);
}

// Another valid value for a field, as command-line text: how "every field changed" is generated.
std::string otherValue(const BoundField& f) {
    const FieldSpec& s = *f.spec;
    const std::string now = fieldText(f);
    std::vector<std::string> candidates;
    switch (s.type) {
    case FieldType::Integer: {
        const long long v = std::stoll(now);
        candidates = {std::to_string(v + (static_cast<long long>(s.max) - v) / 2), std::to_string(v + 1),
                      std::to_string(v - 1)};
        break;
    }
    case FieldType::Real: {
        const double v = std::stod(now);
        candidates = {shortest((v + std::min(s.max, v * 4 + 1)) / 2), shortest((v + s.min) / 2)};
        break;
    }
    case FieldType::Flag:
        candidates = {now == "true" ? "false" : "true"};
        break;
    case FieldType::Choice:
        candidates = s.choices;
        break;
    case FieldType::Text:
        // Plain texts take anything; checked ones (device, method, shard) one of these.
        candidates = {now + "-changed", "cpu", "cuda:1", "glove", "bert:all-MiniLM-L6-v2", "1/2"};
        break;
    }
    for (const auto& c : candidates) {
        if (c == now)
            continue;
        // Probe on a scratch copy of the value so the caller's object changes only once.
        if (setFieldText(f, c)) {
            setFieldText(f, now);
            return c;
        }
    }
    return {};
}

// Writes a value into the member behind a field without any check (as a caller setting the
// struct directly would); false when the member cannot hold it (an enum, an int too small).
bool writeUnchecked(const BoundField& f, double number, const std::string& text) {
    return std::visit(
        [&](const auto& ref) -> bool {
            using T = std::decay_t<decltype(ref)>;
            if constexpr (std::is_same_v<T, int*> || std::is_same_v<T, long*>) {
                using V = std::remove_pointer_t<T>;
                if (std::isnan(number) || number < double(std::numeric_limits<V>::min()) ||
                    number > double(std::numeric_limits<V>::max()))
                    return false;
                *ref = static_cast<V>(number);
                return true;
            } else if constexpr (std::is_same_v<T, double*>) {
                *ref = number;
                return true;
            } else if constexpr (std::is_same_v<T, std::string*>) {
                *ref = text;
                return true;
            } else {
                return false; // flags and enum-held choices cannot hold a bad value
            }
        },
        f.ref);
}

// A config as a front end completes it: required texts without a default (the model tools'
// --model) get a value, so that validate() reports the field under test and nothing else.
void complete(const FieldList& fields) {
    for (const auto& f : fields)
        if (f.spec->type == FieldType::Text && f.spec->required && fieldText(f).empty())
            QVERIFY(setFieldText(f, "given").ok());
}

struct BadValue {
    QString what;
    std::string text;
    double number = std::numeric_limits<double>::quiet_NaN(); // NaN: not a number
    bool jsonNumber = false;                                  // written to JSON as a number (else as a string)
};

// What each field must refuse, from its spec.
std::vector<BadValue> badValues(const FieldSpec& s) {
    std::vector<BadValue> out;
    auto num = [](double v, bool integer) { return integer ? std::to_string(static_cast<long long>(v)) : shortest(v); };
    switch (s.type) {
    case FieldType::Integer:
        out.push_back({"below min", num(s.min - 1, true), s.min - 1, true});
        out.push_back({"above max", num(s.max + 1, true), s.max + 1, true});
        out.push_back({"not an integer", "abc"});
        out.push_back({"fraction", "2.5", 2.5, true});
        break;
    case FieldType::Real:
        if (s.minExclusive)
            out.push_back({"at exclusive min", num(s.min, false), s.min, true});
        else
            out.push_back({"below min", num(s.min - 1, false), s.min - 1, true});
        out.push_back({"above max", num(s.max + 1, false), s.max + 1, true});
        out.push_back({"not a number", "abc"});
        out.push_back({"nan", "nan", std::numeric_limits<double>::quiet_NaN()});
        break;
    case FieldType::Choice:
        out.push_back({"unknown choice", "no-such-choice"});
        break;
    case FieldType::Text:
        if (s.required)
            out.push_back({"empty required", ""});
        if (s.check)
            out.push_back({"fails its check", "?bogus?"});
        break;
    case FieldType::Flag:
        out.push_back({"not a flag", "maybe"});
        break;
    }
    return out;
}

// {"a": {"b": v}} for key "a.b".
json nested(const std::string& key, const json& value) {
    const auto dot = key.find('.');
    if (dot == std::string::npos)
        return json{{key, value}};
    return json{{key.substr(0, dot), nested(key.substr(dot + 1), value)}};
}

// Rows: config type, field index, bad value; `filter` keeps some.
void addBadValueRows(const std::function<bool(const QString&, size_t, const FieldSpec&, const BadValue&)>& filter) {
    QTest::addColumn<QString>("type");
    QTest::addColumn<int>("index");
    QTest::addColumn<std::string>("text");
    QTest::addColumn<double>("number");
    QTest::addColumn<bool>("jsonNumber");
    for (const auto& type : kTypes) {
        const auto specs = makeConfig(type)->specs();
        for (size_t i = 0; i < specs.size(); ++i)
            for (const auto& bad : badValues(specs[i]))
                if (filter(type, i, specs[i], bad))
                    QTest::addRow("%s %s %s", qPrintable(type), specs[i].displayName().c_str(), qPrintable(bad.what))
                        << type << int(i) << bad.text << bad.number << bad.jsonNumber;
    }
}

void checkNamesFieldAndAllowed(const std::string& error, const FieldSpec& spec, const std::string& prefix = {}) {
    QVERIFY2(error.starts_with(prefix + spec.displayName() + ": "), error.c_str());
    QVERIFY2(error.find("(allowed: " + spec.allowed() + ")") != std::string::npos, error.c_str());
}

} // namespace

class TestConfigs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tablesAreWellFormed_data() {
        QTest::addColumn<QString>("type");
        for (const auto& t : kTypes)
            QTest::newRow(qPrintable(t)) << t;
    }
    // Keys and options are unique; every field is an option, a stored key or both; ranges are sane.
    void tablesAreWellFormed() {
        QFETCH(QString, type);
        std::set<std::string> keys, options;
        for (const auto& s : makeConfig(type)->specs()) {
            QVERIFY2(!s.key.empty() || !s.option.empty(), "a field with neither key nor option");
            QVERIFY2(s.key.empty() || keys.insert(s.key).second, s.key.c_str());
            QVERIFY2(s.option.empty() || options.insert(s.option).second, s.option.c_str());
            if (s.type == FieldType::Integer || s.type == FieldType::Real)
                QVERIFY2(s.min < s.max, s.displayName().c_str());
            if (s.type == FieldType::Choice)
                QVERIFY2(s.choices.size() >= 2, s.displayName().c_str());
        }
    }

    void defaultsAreValidAndRoundTrip_data() { tablesAreWellFormed_data(); }
    void defaultsAreValidAndRoundTrip() {
        QFETCH(QString, type);
        auto c = makeConfig(type);
        complete(c->fields());
        QVERIFY2(c->validate().ok(), c->validate().error().c_str());
        const std::string first = c->toJson();
        auto back = c->fromJson(first, "test");
        QVERIFY2(back.ok(), back.error().c_str());
        QCOMPARE(json::parse(back.value()->toJson()), json::parse(first));
    }

    void changedConfigRoundTrips_data() { tablesAreWellFormed_data(); }
    // Every field set to another valid value: the JSON carries each, and reads back to the same
    // values (a field missing from toJson would come back as its default).
    void changedConfigRoundTrips() {
        QFETCH(QString, type);
        auto c = makeConfig(type);
        const std::string defaults = c->toJson();
        const FieldList fields = c->fields();
        for (const auto& f : fields) {
            const std::string other = otherValue(f);
            QVERIFY2(!other.empty(), ("no other valid value for " + f.spec->displayName()).c_str());
            auto s = setFieldText(f, other);
            QVERIFY2(s.ok(), s.error().c_str());
            QCOMPARE(fieldText(f), other);
        }
        QVERIFY(c->validate().ok());
        const std::string changed = c->toJson();
        QVERIFY(json::parse(changed) != json::parse(defaults));
        auto back = c->fromJson(changed, "test");
        QVERIFY2(back.ok(), back.error().c_str());
        QCOMPARE(json::parse(back.value()->toJson()), json::parse(changed));
        const FieldList restored = back.value()->fields();
        auto fresh = makeConfig(type);
        const FieldList defaultFields = fresh->fields();
        for (size_t i = 0; i < fields.size(); ++i) {
            // Option-only fields (train --resume) are no stored setting: they read back as defaults.
            const std::string expected =
                fields[i].spec->key.empty() ? fieldText(defaultFields[i]) : fieldText(fields[i]);
            QVERIFY2(fieldText(restored[i]) == expected,
                     (fields[i].spec->displayName() + ": " + fieldText(restored[i]) + " != " + expected).c_str());
        }
    }

    void eachFieldIsItsOwnMember_data() { tablesAreWellFormed_data(); }
    // Changing one field changes only that field (two table rows bound to one member would not).
    void eachFieldIsItsOwnMember() {
        QFETCH(QString, type);
        const auto count = makeConfig(type)->specs().size();
        for (size_t i = 0; i < count; ++i) {
            auto c = makeConfig(type);
            const FieldList fields = c->fields();
            std::vector<std::string> before;
            for (const auto& f : fields)
                before.push_back(fieldText(f));
            QVERIFY(setFieldText(fields[i], otherValue(fields[i])).ok());
            for (size_t j = 0; j < count; ++j)
                QVERIFY2((fieldText(fields[j]) != before[j]) == (i == j),
                         (fields[i].spec->displayName() + " changed " + fields[j].spec->displayName()).c_str());
        }
    }

    void validateRejects_data() {
        addBadValueRows([](const QString& type, size_t index, const FieldSpec& s, const BadValue& b) {
            // What the member itself can hold: numbers out of range (and NaN), texts; not "abc" for
            // a number, nor a fraction for an integer, nor an unknown name for an enum.
            if (b.text == "abc" || (s.type == FieldType::Integer && b.number != std::floor(b.number)))
                return false;
            auto scratch = makeConfig(type);
            return writeUnchecked(scratch->fields()[index], b.number, b.text);
        });
    }
    // A config whose member was set directly to a bad value does not validate.
    void validateRejects() {
        QFETCH(QString, type);
        QFETCH(int, index);
        QFETCH(std::string, text);
        QFETCH(double, number);
        auto c = makeConfig(type);
        const FieldList fields = c->fields();
        complete(fields);
        QVERIFY(c->validate().ok());
        const BoundField& f = fields[size_t(index)];
        QVERIFY(writeUnchecked(f, number, text));
        const Status s = c->validate();
        QVERIFY2(!s.ok(), ("accepted " + text).c_str());
        checkNamesFieldAndAllowed(s.error(), *f.spec);
    }

    void setFieldTextRejects_data() {
        addBadValueRows([](const QString&, size_t, const FieldSpec&, const BadValue&) { return true; });
    }
    // As the CLI and the GUI's editors set fields: refused, and the value is left as it was.
    void setFieldTextRejects() {
        QFETCH(QString, type);
        QFETCH(int, index);
        QFETCH(std::string, text);
        auto c = makeConfig(type);
        const FieldList fields = c->fields();
        const BoundField& f = fields[size_t(index)];
        const std::string before = fieldText(f);
        const Status s = setFieldText(f, text);
        QVERIFY2(!s.ok(), ("accepted '" + text + "'").c_str());
        checkNamesFieldAndAllowed(s.error(), *f.spec);
        QCOMPARE(fieldText(f), before);
    }

    void fromJsonRejects_data() {
        addBadValueRows([](const QString&, size_t, const FieldSpec& s, const BadValue& b) {
            return !s.key.empty() && b.what != "nan"; // JSON has no NaN
        });
    }
    // A stored config with a bad value: refused, naming the source and the field.
    void fromJsonRejects() {
        QFETCH(QString, type);
        QFETCH(int, index);
        QFETCH(std::string, text);
        QFETCH(double, number);
        QFETCH(bool, jsonNumber);
        auto c = makeConfig(type);
        const FieldSpec spec = c->specs()[size_t(index)];
        const json value = jsonNumber ? (spec.type == FieldType::Integer && number == std::floor(number)
                                             ? json(static_cast<long long>(number))
                                             : json(number))
                                      : json(text);
        const auto r = c->fromJson(nested(spec.key, value).dump(), "run 42");
        QVERIFY2(!r.ok(), ("accepted " + nested(spec.key, value).dump()).c_str());
        checkNamesFieldAndAllowed(r.error(), spec, "run 42: ");
    }

    void fromJsonRejectsMalformed_data() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<std::string>("text");
        QTest::addColumn<std::string>("expected"); // besides the source's name
        QTest::newRow("truncated") << "TrainConfig" << std::string(R"({"epochs": 3,)")
                                   << std::string("not a JSON object");
        QTest::newRow("not json") << "EvalJobConfig" << std::string("epochs=3") << std::string("not a JSON object");
        QTest::newRow("array") << "LabelJobConfig" << std::string("[1, 2]") << std::string("not a JSON object");
        QTest::newRow("number") << "AnswerJobConfig" << std::string("7") << std::string("not a JSON object");
        QTest::newRow("empty") << "ProcessConfig" << std::string("") << std::string("not a JSON object");
        QTest::newRow("epochs text") << "TrainConfig" << std::string(R"({"epochs": "ten"})")
                                     << std::string("--epochs: 'ten' is not an integer");
        QTest::newRow("epochs bool") << "TrainConfig" << std::string(R"({"epochs": true})") << std::string("--epochs:");
        QTest::newRow("tau object") << "TrainConfig" << std::string(R"({"tau_t": {"x": 1}})")
                                    << std::string("--tau-t:");
        QTest::newRow("nested scorer empty") << "TrainConfig" << std::string(R"({"labels": {"scorer": ""}})")
                                             << std::string("--labels: must not be empty");
        QTest::newRow("limit array") << "EvalJobConfig" << std::string(R"({"limit": [1]})") << std::string("--limit:");
        QTest::newRow("eval_run text") << "AnswerJobConfig" << std::string(R"({"eval_run": "x"})")
                                       << std::string("eval_run: 'x' is not an integer");
    }
    void fromJsonRejectsMalformed() {
        QFETCH(QString, type);
        QFETCH(std::string, text);
        QFETCH(std::string, expected);
        const auto r = makeConfig(type)->fromJson(text, "run 7");
        QVERIFY2(!r.ok(), text.c_str());
        QVERIFY2(r.error().starts_with("run 7: "), r.error().c_str());
        QVERIFY2(r.error().find(expected) != std::string::npos, r.error().c_str());
    }

    // The model tools' --model has no default: their defaults are incomplete until it is given
    // (the CLI says "--model is required"), and refused by name.
    void modelToolNeedsModel() {
        ModelToolConfig c;
        QCOMPARE(c.validate().error(), std::string("--model: must not be empty (allowed: a non-empty text)"));
        c.model = "bert-tiny";
        QVERIFY(c.validate().ok());
    }

    // Unknown keys (older or newer runs) are ignored; absent keys keep the defaults.
    void fromJsonKeepsDefaultsAndIgnoresUnknownKeys() {
        const auto r = TrainConfig::fromJson(R"({"epochs": 4, "from_the_future": 1, "labels": {"other": 2}})");
        QVERIFY2(r.ok(), r.error().c_str());
        TrainConfig expected;
        expected.epochs = 4;
        QCOMPARE(json::parse(r->toJson()), json::parse(expected.toJson()));
    }

    // Errors name the option as typed; a field with no option by its key.
    void errorMessageFormat() {
        TrainConfig c;
        const FieldList fields = c.fields();
        auto epochs =
            std::find_if(fields.begin(), fields.end(), [](const BoundField& f) { return f.spec->key == "epochs"; });
        QVERIFY(epochs != fields.end());
        QCOMPARE(setFieldText(*epochs, "ten").error(),
                 std::string("--epochs: 'ten' is not an integer (allowed: an integer from 1 to 1000)"));
        QCOMPARE(TrainConfig::spec("tau_t").allowed(), std::string("a number > 0 and <= 100"));
        QCOMPARE(TrainConfig::spec("clip").displayName(), std::string("clip"));
        QCOMPARE(TrainConfig::spec("loss").allowed(), std::string("one of soft, masked, hybrid, gold"));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, TrainConfig::spec("no_such_key"));
    }

    // BERT's preset differs from GloVe's in exactly the documented settings (job_train.h).
    void bertPresetDiffersAsDocumented() {
        const json glove = json::parse(TrainConfig::forEncoder(EncoderKind::Glove).toJson());
        const json bert = json::parse(TrainConfig::forEncoder(EncoderKind::Bert).toJson());
        QCOMPARE(json::parse(TrainConfig::forEncoder(EncoderKind::Glove).toJson()),
                 json::parse(TrainConfig{}.toJson()));
        const json expectedChanges = {{"encoder", "bert"},    {"max_candidates", 16}, {"lr", 2e-5},
                                      {"batch_questions", 8}, {"epochs", 1},          {"eval_limit", 200}};
        json changed = json::object();
        for (const auto& [key, value] : bert.items())
            if (glove.at(key) != value)
                changed[key] = value;
        QCOMPARE(changed, expectedChanges);
        // Smaller groups and batches, a fine-tuning rate, one epoch, a bounded evaluation.
        const TrainConfig g = TrainConfig::forEncoder(EncoderKind::Glove),
                          b = TrainConfig::forEncoder(EncoderKind::Bert);
        QVERIFY(b.maxCandidates < g.maxCandidates && b.batchQuestions < g.batchQuestions && b.lr < g.lr);
        QVERIFY(b.epochs < g.epochs && b.evalLimit > 0 && g.evalLimit == 0);
    }

    void presets_data() {
        QTest::addColumn<int>("encoder");
        QTest::addColumn<QString>("model");
        QTest::addColumn<std::string>("expected"); // JSON of the expected preset
        QTest::newRow("bert without model")
            << int(EncoderKind::Bert) << QString() << TrainConfig::forEncoder(EncoderKind::Bert).toJson();
        QTest::newRow("glove ignores model") << int(EncoderKind::Glove) << QString(UAE_TEST_DATA_DIR "/bert-tiny")
                                             << TrainConfig::forEncoder(EncoderKind::Glove).toJson();
        TrainConfig tiny = TrainConfig::forEncoder(EncoderKind::Bert);
        tiny.modelDir = UAE_TEST_DATA_DIR "/bert-tiny";
        tiny.maxTokens = 128; // its max_position_embeddings (no sentence-transformers max_seq_length)
        QTest::newRow("bert-tiny") << int(EncoderKind::Bert) << QString(UAE_TEST_DATA_DIR "/bert-tiny")
                                   << tiny.toJson();
        TrainConfig missing = TrainConfig::forEncoder(EncoderKind::Bert);
        missing.modelDir = "/nonexistent/model";
        QTest::newRow("bert, unreadable model")
            << int(EncoderKind::Bert) << QString("/nonexistent/model") << missing.toJson();
    }
    void presets() {
        QFETCH(int, encoder);
        QFETCH(QString, model);
        QFETCH(std::string, expected);
        const TrainConfig c = TrainConfig::preset(EncoderKind(encoder), model.toStdString());
        QCOMPARE(json::parse(c.toJson()), json::parse(expected));
        QVERIFY(c.validate().ok());
    }

    void labelPresetForModel() {
        const LabelJobConfig c = LabelJobConfig::forModel("SmolLM2-135M-Instruct");
        json expected = json::parse(LabelJobConfig{}.toJson());
        expected["scorer"] = "lm";
        expected["model"] = "SmolLM2-135M-Instruct";
        expected["top_k"] = 20;
        expected["prompt"] = "chat"; // an instruct model is asked in its chat turns
        QCOMPARE(json::parse(c.toJson()), expected);
        QCOMPARE(LabelJobConfig::forModel("stories260K.bin").prompt, std::string("plain"));
    }

    // The enums' names are what the store and the command line hold: each reads back.
    void enumNamesRoundTrip() {
        for (auto k : {RunKind::Eval, RunKind::Label, RunKind::Train, RunKind::Answer})
            QCOMPARE(parseRunKind(toString(k)), std::optional<RunKind>(k));
        for (const auto& name : runStatusNames())
            QCOMPARE(std::string(toString(*parseRunStatus(name))), name);
        QCOMPARE(runStatusNames().size(), size_t(5));
        for (const auto& name : encoderNames())
            QCOMPARE(std::string(toString(*parseEncoder(name))), name);
        for (auto m : {Method::Bm25, Method::Glove, Method::Bert, Method::LlmRerank, Method::Uae})
            QCOMPARE(parseMethod(toString(m))->method, m);
        QCOMPARE(parseMethod("bert:all-MiniLM-L6-v2")->model, std::string("all-MiniLM-L6-v2"));
        QVERIFY(!parseMethod("bert:"));
        QVERIFY(!parseMethod("BM25"));
        QVERIFY(!parseRunStatus("done"));
        QVERIFY(!parseEncoder("roberta"));
    }
};

QTEST_GUILESS_MAIN(TestConfigs)
#include "tst_configs.moc"
