#include "sidebar_layout.h"

#include <QSplitter>
#include <QVBoxLayout>

namespace uae::ui {

void installSidebarLayout(QWidget* owner, QWidget* sidebar, QWidget* content, int sidebarWidth) {
    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(sidebar);
    split->addWidget(content);
    split->setStretchFactor(1, 4);
    split->setSizes({sidebarWidth, 1100});
    auto* layout = new QVBoxLayout(owner);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(split);
}

} // namespace uae::ui
