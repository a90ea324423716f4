#include "uae/utility.h"

#include "uae/qasper.h"

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

} // namespace uae
