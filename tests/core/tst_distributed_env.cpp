// The launcher's variables for uae train --distributed (uae/distributed.h): torchrun's names,
// Slurm's stand-ins, and each malformed or missing variable named in the error.
#include "uae/distributed.h"

#include <QtTest>

using Vars = std::map<std::string, std::string>;
Q_DECLARE_METATYPE(Vars)

namespace {
Vars torchrun(std::string rank, std::string world) {
    return {{"RANK", rank}, {"WORLD_SIZE", world}, {"MASTER_ADDR", "10.0.0.1"}, {"MASTER_PORT", "29500"}};
}
Vars with(Vars v, const std::string& name, const std::string& value) {
    if (value.empty())
        v.erase(name);
    else
        v[name] = value;
    return v;
}
} // namespace

class TstDistributedEnv : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void accepted_data() {
        QTest::addColumn<Vars>("vars");
        QTest::addColumn<int>("rank");
        QTest::addColumn<int>("world");
        QTest::addColumn<int>("local");
        QTest::addColumn<QString>("addr");
        QTest::addColumn<int>("port");
        QTest::newRow("torchrun") << with(torchrun("1", "2"), "LOCAL_RANK", "1") << 1 << 2 << 1 << "10.0.0.1" << 29500;
        QTest::newRow("torchrun's agent store")
            << with(torchrun("0", "2"), "TORCHELASTIC_USE_AGENT_STORE", "True") << 0 << 2 << 0 << "10.0.0.1" << 29500;
        QTest::newRow("srun") << Vars{{"SLURM_PROCID", "3"},
                                      {"SLURM_NTASKS", "4"},
                                      {"SLURM_LOCALID", "1"},
                                      {"MASTER_ADDR", "node1"},
                                      {"MASTER_PORT", "2950"}}
                              << 3 << 4 << 1 << "node1" << 2950;
        QTest::newRow("torchrun's names win")
            << with(with(torchrun("0", "2"), "SLURM_PROCID", "5"), "SLURM_NTASKS", "8") << 0 << 2 << 0 << "10.0.0.1"
            << 29500;
        QTest::newRow("one rank needs no rendezvous")
            << Vars{{"RANK", "0"}, {"WORLD_SIZE", "1"}} << 0 << 1 << 0 << "127.0.0.1" << 0;
    }
    void accepted() {
        QFETCH(Vars, vars);
        auto env = uae::distributedEnv(vars);
        QVERIFY2(env, env ? "" : env.error().c_str());
        QTEST(env->rank, "rank");
        QTEST(env->worldSize, "world");
        QTEST(env->localRank, "local");
        QTEST(QString::fromStdString(env->masterAddr), "addr");
        QTEST(env->masterPort, "port");
        QCOMPARE(env->agentStore, vars.count("TORCHELASTIC_USE_AGENT_STORE") > 0);
    }

    void refused_data() {
        QTest::addColumn<Vars>("vars");
        QTest::addColumn<QString>("message");
        QTest::newRow("no world size") << with(torchrun("0", "2"), "WORLD_SIZE", "")
                                       << "WORLD_SIZE or SLURM_NTASKS is not set";
        QTest::newRow("no rank") << with(torchrun("0", "2"), "RANK", "") << "RANK or SLURM_PROCID is not set";
        QTest::newRow("rank beyond the world") << torchrun("2", "2") << "RANK='2' is not an integer from 0 to 1";
        QTest::newRow("not a number") << torchrun("one", "2") << "RANK='one' is not an integer";
        QTest::newRow("trailing text") << torchrun("1", "2x") << "WORLD_SIZE='2x' is not an integer";
        QTest::newRow("zero ranks") << torchrun("0", "0") << "WORLD_SIZE='0' is not an integer from 1";
        QTest::newRow("bad local rank") << with(torchrun("0", "2"), "LOCAL_RANK", "-1") << "LOCAL_RANK='-1'";
        QTest::newRow("no port") << with(torchrun("0", "2"), "MASTER_PORT", "") << "MASTER_PORT is not set";
        QTest::newRow("port out of range") << with(torchrun("0", "2"), "MASTER_PORT", "70000")
                                           << "MASTER_PORT='70000' is not an integer from 1 to 65535";
        QTest::newRow("no address") << with(torchrun("0", "2"), "MASTER_ADDR", "") << "MASTER_ADDR is not set";
    }
    void refused() {
        QFETCH(Vars, vars);
        QFETCH(QString, message);
        auto env = uae::distributedEnv(vars);
        QVERIFY(!env);
        QVERIFY2(QString::fromStdString(env.error()).contains(message), env.error().c_str());
        QVERIFY(QString::fromStdString(env.error()).startsWith("--distributed: "));
    }
};

QTEST_GUILESS_MAIN(TstDistributedEnv)
#include "tst_distributed_env.moc"
