#include "uae/utility.h"
#include <numeric>

#include "uae/qasper.h"
#include "uae/sha256.h"

#include <algorithm>
#include <cmath>

namespace uae {

std::vector<std::string> utilityAnswers(const Question& q) {
    std::vector<std::string> out;
    for (const auto& ref : q.references)
        if (ref.type != AnswerType::None && !ref.answer.empty())
            out.push_back(ref.answer);
    return out;
}

std::string labelSourceHash(const Question& q, const Paper& paper) {
    Sha256 h;
    // Unit and record separators keep ("ab","c") and ("a","bc") apart.
    const auto add = [&h](const std::string& s, char sep) {
        h.update(s.data(), s.size());
        h.update(&sep, 1);
    };
    add(paper.id, '\x1e');
    for (const auto& p : paper.paragraphs) {
        add(p.section, '\x1f');
        add(p.text, '\x1e');
    }
    add(q.text, '\x1e');
    for (const auto& a : utilityAnswers(q))
        add(a, '\x1e');
    return h.hex().substr(0, 16);
}

std::vector<double> teacherDistribution(const std::vector<double>& utilities, double tau) {
    std::vector<double> p(utilities.size());
    if (p.empty())
        return p;
    const double top = *std::max_element(utilities.begin(), utilities.end());
    double sum = 0;
    for (size_t i = 0; i < p.size(); ++i)
        sum += p[i] = std::exp((utilities[i] - top) / tau);
    for (auto& x : p)
        x /= sum;
    return p;
}

namespace {

std::vector<double> meanRanks(const std::vector<double>& v) {
    std::vector<size_t> order(v.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t x, size_t y) { return v[x] < v[y]; });
    std::vector<double> ranks(v.size());
    for (size_t i = 0; i < order.size();) {
        size_t j = i;
        while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]])
            ++j;
        for (size_t k = i; k <= j; ++k)
            ranks[order[k]] = 0.5 * static_cast<double>(i + j); // the tie's mean rank
        i = j + 1;
    }
    return ranks;
}

} // namespace

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size() || a.size() < 2)
        return 0;
    const auto ra = meanRanks(a), rb = meanRanks(b);
    const double n = static_cast<double>(a.size());
    const double ma = std::accumulate(ra.begin(), ra.end(), 0.0) / n,
                 mb = std::accumulate(rb.begin(), rb.end(), 0.0) / n;
    double cov = 0, va = 0, vb = 0;
    for (size_t i = 0; i < ra.size(); ++i) {
        cov += (ra[i] - ma) * (rb[i] - mb);
        va += (ra[i] - ma) * (ra[i] - ma);
        vb += (rb[i] - mb) * (rb[i] - mb);
    }
    return va > 0 && vb > 0 ? cov / std::sqrt(va * vb) : 0.0;
}

} // namespace uae
