#pragma once
// The Map tab: the loaded split's questions and paragraphs projected to 2-D (PCA, in core) for
// one encoder, or two side by side (e.g. MiniLM beside UAE). Colour by paper, by the teacher's
// utility or by kind; the selected question's lines go to its gold paragraphs (solid) and to each
// shown method's top-1 (dashed, dotted). Hover shows a point's text; a click on a question
// selects it (questionClicked, which the window passes to the inspector), a double click also
// opens the inspector. The map is computed by the session on a worker thread (Compute).
#include <QStringList>
#include <QVector>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace uae::ui {

class MapCanvas;
class WorkbenchSession;

class EmbeddingMapView : public QWidget {
    Q_OBJECT
public:
    enum class ColourBy { Paper, Utility, Kind };

    explicit EmbeddingMapView(WorkbenchSession& session, QWidget* parent = nullptr);

    // The dense methods the session offers (bm25 has no vectors); keeps the choices made.
    void reloadMethods();
    // Asks the session for the map of the chosen methods (B may be "none").
    int compute();
    void setMethods(const QString& a, const QString& b);
    void setLimit(int questions); // first N questions of the split (0: all)
    // Draws the session's map (after embeddingMapReady).
    void showMap();
    // Highlights a question (its id) and draws its lines in every pane; false when not on the map.
    bool showQuestion(const QString& questionId);
    void setColourBy(ColourBy by);

    MapCanvas* canvas(int i) const { return m_canvases[i]; }
    int shownLayers() const;
    QPushButton* computeButton() const { return m_compute; }
    QString questionIdOfItem(int item) const; // empty for a paragraph
    QString toolTipFor(int item) const;       // what hovering a point shows (rich text)

Q_SIGNALS:
    void questionClicked(const QString& questionId);
    void openInInspector(const QString& questionId);
    void statusMessage(const QString& text);

private:
    QWidget* buildControls();
    void onItemClicked(int item, bool open);
    void recolour();
    void updateLines();

    WorkbenchSession& m_session;
    QComboBox* m_methodA;
    QComboBox* m_methodB;
    QComboBox* m_colourBy;
    QSpinBox* m_limit;
    QPushButton* m_compute;
    QLabel* m_legend;
    QVector<QLabel*> m_titles;
    QVector<MapCanvas*> m_canvases;
    QStringList m_layerMethods; // of the map shown
    int m_question = -1;        // Dataset::questions index of the selected question
    QString m_questionId;       // its id (kept when a new map comes)
    std::vector<float> m_utilities;
};

} // namespace uae::ui
