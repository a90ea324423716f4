#pragma once
// The layout the dashboard and the compare view share: a sidebar of controls beside the content,
// in a splitter that gives the content the room.
#include <QWidget>

namespace uae::ui {

void installSidebarLayout(QWidget* owner, QWidget* sidebar, QWidget* content, int sidebarWidth);

} // namespace uae::ui
