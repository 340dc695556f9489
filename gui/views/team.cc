// Team: a sortable table of every rep (coaching recency, sessions, actions,
// average rating) and a rep x skill heat map of the latest ratings.
#include <algorithm>
#include <array>
#include <numeric>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <imgui.h>

#include "screens.h"
#include "ui.h"

namespace ridealong::gui::views {

namespace {

enum Column { kName, kTeam, kLast, kSessions, kOnTime, kOpen, kOverdue, kAverage };

// Sorted row order, recomputed only when the data or the sort changes.
using Order = ViewMemory::TeamOrder;

void sortRows(Order& order, const std::vector<TeamRow>& team, const ImGuiTableColumnSortSpecs& spec) {
  order.rows.resize(team.size());
  std::iota(order.rows.begin(), order.rows.end(), 0);
  bool asc = spec.SortDirection == ImGuiSortDirection_Ascending;
  auto key = [&](const TeamRow& r) -> double {
    const auto& o = r.overview;
    switch (spec.ColumnUserID) {
      case kLast: return r.daysSinceCoached < 0 ? 1e9 : r.daysSinceCoached;
      case kSessions: return o.sessions90d;
      // Share held on time; reps with nothing due yet sort below any figure.
      case kOnTime: return r.adherence.due() ? r.adherence.onTimeShare() * 1000 + r.adherence.due() : -1;
      case kOpen: return o.openActions;
      case kOverdue: return o.overdueActions;
      case kAverage: return o.averageRating;
      default: return 0;
    }
  };
  std::stable_sort(order.rows.begin(), order.rows.end(), [&](int a, int b) {
    const TeamRow &ra = team[a], &rb = team[b];
    if (spec.ColumnUserID == kName || spec.ColumnUserID == kTeam) {
      const std::string& x = spec.ColumnUserID == kName ? ra.overview.name : ra.overview.team;
      const std::string& y = spec.ColumnUserID == kName ? rb.overview.name : rb.overview.team;
      return asc ? x < y : y < x;
    }
    return asc ? key(ra) < key(rb) : key(rb) < key(ra);
  });
}

// The figures of a row that the compact table shows under the name.
std::string rowDetail(const TeamRow& row) {
  const auto& o = row.overview;
  std::string d = o.team.empty() ? "" : o.team + " · ";
  d += fmt::format("{} session{} in 90 days", o.sessions90d, o.sessions90d == 1 ? "" : "s");
  if (row.adherence.due()) d += " · on time " + ui::onTimeFigure(row.adherence);
  d += fmt::format(" · {} open", o.openActions);
  if (o.averageRating > 0) d += fmt::format(" · avg {:.1f}", o.averageRating);
  return d;
}

// Every rep, sortable by any column. A wide window shows every figure in a
// column of its own; a narrow one (Layout::compactTables) keeps the name,
// last coached and overdue, with the other figures under the name.
void table(AppModel& m, ViewState& s) {
  const Snapshot& snap = m.snapshot();
  Order& order = s.memory.teamOrder;
  const bool compact = ui::frame().layout.compactTables;
  ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                          ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
  // The figure columns shown, as wide as their header and sort arrow, names
  // sharing the rest. When that would squeeze the names, the headers go on
  // two lines, split between words, and the columns are as wide as the
  // longer line.
  struct Figure {
    Column column;
    const char* label;
  };
  const std::vector<Figure> all = {{kLast, "Last coached"}, {kSessions, "Sessions (90 d)"}, {kOnTime, "On time"},
                                   {kOpen, "Open actions"}, {kOverdue, "Overdue"},          {kAverage, "Avg rating"}};
  std::vector<Figure> figures;
  for (const auto& f : all)
    if (!compact || f.column == kLast || f.column == kOverdue) figures.push_back(f);
  const int count = static_cast<int>(figures.size());
  const ImGuiStyle& style = ImGui::GetStyle();
  const float font = ImGui::GetFontSize();
  const float arrow = font + style.FramePadding.x;  // the sort arrow's room, as ImGui leaves it
  const float avail = ImGui::GetContentRegionAvail().x - style.ScrollbarSize;  // the table may scroll
  std::vector<std::array<std::string, 2>> lines(count);
  std::vector<float> oneLine(count), twoLines(count);
  float oneTotal = 0, twoTotal = 0;
  for (int i = 0; i < count; i++) {
    const std::string label = figures[i].label;
    oneLine[i] = ImGui::CalcTextSize(label.c_str()).x + arrow;
    lines[i][0] = label;
    twoLines[i] = oneLine[i];
    for (size_t at = label.find(' '); at != std::string::npos; at = label.find(' ', at + 1)) {
      std::string a = label.substr(0, at), b = label.substr(at + 1);
      float w = std::max(ImGui::CalcTextSize(a.c_str()).x, ImGui::CalcTextSize(b.c_str()).x) + arrow;
      if (w < twoLines[i]) {
        twoLines[i] = w;
        lines[i][0] = a;
        lines[i][1] = b;
      }
    }
    // Cells hold "12 days ago" under "Last coached".
    const float cell = ImGui::CalcTextSize(figures[i].column == kLast ? "999 days ago" : "999").x;
    oneLine[i] = std::max(oneLine[i], cell);
    twoLines[i] = std::max(twoLines[i], cell);
    oneTotal += oneLine[i] + style.CellPadding.x * 2;
    twoTotal += twoLines[i] + style.CellPadding.x * 2;
  }
  const float nameRoom = font * (compact ? 7 : 14);
  const bool oneRow = avail - oneTotal >= nameRoom;
  const float lineHeight = ImGui::GetTextLineHeight();
  const float headerHeight = oneRow ? lineHeight : lineHeight * 2;
  float height = std::min(ImGui::GetContentRegionAvail().y * (compact ? 0.6f : 0.5f),
                          ImGui::GetTextLineHeightWithSpacing() * (snap.team.size() * (compact ? 2.5f : 1) + 1.5f) +
                              headerHeight + style.CellPadding.y * 2);
  const int columns = (compact ? 1 : 2) + count;
  if (!ImGui::BeginTable("##team", columns, flags, ImVec2(0, height))) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("Rep", ImGuiTableColumnFlags_DefaultSort | ImGuiTableColumnFlags_WidthStretch, 2.0f, kName);
  if (!compact) ImGui::TableSetupColumn("Team", ImGuiTableColumnFlags_WidthStretch, 1.5f, kTeam);
  const int first = compact ? 1 : 2;
  for (int i = 0; i < count; i++)
    ImGui::TableSetupColumn(figures[i].label,
                            ImGuiTableColumnFlags_PreferSortDescending | ImGuiTableColumnFlags_WidthFixed,
                            oneRow ? oneLine[i] : twoLines[i], figures[i].column);
  // The header row by hand (as TableHeadersRow), so each header is tracked.
  ImGui::TableNextRow(ImGuiTableRowFlags_Headers, headerHeight + style.CellPadding.y * 2);
  for (int c = 0; c < columns; c++) {
    if (!ImGui::TableSetColumnIndex(c)) continue;
    ImGui::PushID(c);
    if (oneRow || c < first) {
      ImGui::TableHeader(ImGui::TableGetColumnName(c));
    } else {
      // Two lines drawn over an unlabelled header (which sorts on a click
      // and draws the arrow).
      ImVec2 at = ImGui::GetCursorScreenPos();
      ImGui::TableHeader("##header");
      ImDrawList* dl = ImGui::GetWindowDrawList();
      const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
      dl->AddText(at, text, lines[c - first][0].c_str());
      dl->AddText(ImVec2(at.x, at.y + lineHeight), text, lines[c - first][1].c_str());
    }
    ImGui::PopID();
    const int id = c < first ? (c == 0 ? kName : kTeam) : figures[c - first].column;
    ui::track(fmt::format("team/header/{}", id));  // by Column, whichever columns show
  }
  ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs();
  if (specs && specs->SpecsCount > 0 &&
      (specs->SpecsDirty || order.generation != snap.generation || order.builtAt != snap.builtAtMs)) {
    sortRows(order, snap.team, specs->Specs[0]);
    order.generation = snap.generation;
    order.builtAt = snap.builtAtMs;
    specs->SpecsDirty = false;
  }
  auto drawRow = [&](int i) {
    const TeamRow& row = snap.team[order.rows[i]];
    const auto& o = row.overview;
    ImGui::PushID(i);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    // In touch mode a row is a touch target: as tall as a button.
    const float tall = ui::frame().touch ? ImGui::GetFrameHeight() : 0.0f;
    ImGui::PushStyleVar(ImGuiStyleVar_SelectableTextAlign, ImVec2(0.0f, 0.5f));
    if (ImGui::Selectable(o.name.c_str(), false, ImGuiSelectableFlags_SpanAllColumns, ImVec2(0, tall)))
      m.openRep(o.rep);
    ImGui::PopStyleVar();
    ui::trackTap("team/row/" + o.name);
    if (compact) ui::muted(rowDetail(row));
    else {
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(o.team.c_str());
    }
    for (const auto& f : figures) {
      ImGui::TableNextColumn();
      switch (f.column) {
        case kLast:
          if (row.daysSinceCoached < 0) ImGui::TextColored(ui::red(), "never");
          else if (row.due) ImGui::TextColored(ui::amber(), "%d days ago", row.daysSinceCoached);
          else ImGui::Text("%d days ago", row.daysSinceCoached);
          break;
        case kSessions: ImGui::Text("%d", o.sessions90d); break;
        case kOnTime:
          // Planned sessions of the last 90 days held on the day planned.
          if (row.adherence.due() == 0) ui::mutedLine("-");
          else ImGui::TextColored(ui::adherenceColor(row.adherence), "%s", ui::onTimeFigure(row.adherence).c_str());
          ui::trackText("team/ontime/" + o.name, ui::onTimeFigure(row.adherence));
          break;
        case kOpen: ImGui::Text("%d", o.openActions); break;
        case kOverdue:
          if (o.overdueActions) ImGui::TextColored(ui::red(), "%d", o.overdueActions);
          else ImGui::TextUnformatted("0");
          break;
        case kAverage:
          if (o.averageRating > 0)
            ImGui::TextColored(ui::ratingColor(static_cast<int>(o.averageRating + 0.5)), "%.1f", o.averageRating);
          else ui::mutedLine("-");
          break;
        default: break;
      }
    }
    ImGui::PopID();
  };
  if (compact) {
    // Rows of different heights (the figures wrap): drawn whole; ImGui
    // skips what is scrolled out of view.
    for (int i = 0; i < static_cast<int>(order.rows.size()); i++) drawRow(i);
  } else {
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(order.rows.size()));
    while (clipper.Step())
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; i++) drawRow(i);
  }
  ImGui::EndTable();
}

// Text widths the heat map lays out by (ViewMemory::TextWidths).
using TextWidths = ViewMemory::TextWidths;

const TextWidths& measured(TextWidths& w, const Snapshot& snap, float fontSize) {
  if (w.generation == snap.generation && w.builtAt == snap.builtAtMs && w.fontSize == fontSize) return w;
  w = TextWidths{snap.generation, snap.builtAtMs, fontSize, ImGui::CalcTextSize("Rep").x, 0};
  for (const auto& r : snap.team)
    w.longestName = std::max(w.longestName, ImGui::CalcTextSize(r.overview.name.c_str()).x);
  for (const auto& skill : snap.skills) {
    for (size_t at = 0; at < skill.name.size();) {
      size_t end = std::min(skill.name.find(' ', at), skill.name.size());
      w.longestSkillWord =
          std::max(w.longestSkillWord, ImGui::CalcTextSize(skill.name.data() + at, skill.name.data() + end).x);
      at = end + 1;
    }
  }
  return w;
}

// One table of the heat map: the Rep column and skills [from, to).
void heatTable(const Snapshot& snap, int from, int to, float repWidth, float skillWidth, float height) {
  const int columns = to - from + 1;
  const ImGuiStyle& style = ImGui::GetStyle();
  ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInner | ImGuiTableFlags_SizingFixedFit;
  const float headerHeight = ImGui::GetTextLineHeight() * 2 + style.CellPadding.y * 2;
  ImGui::PushID(from);
  if (!ImGui::BeginTable("##heat", columns, flags, ImVec2(0, height))) {
    ImGui::PopID();
    return;
  }
  ImGui::TableSetupScrollFreeze(1, 1);
  ImGui::TableSetupColumn("Rep", ImGuiTableColumnFlags_WidthFixed, repWidth);
  for (int k = from; k < to; k++)
    ImGui::TableSetupColumn(snap.skills[k].name.c_str(), ImGuiTableColumnFlags_WidthFixed, skillWidth);
  // Header row by hand: ImGui 1.86's TableHeadersRow() does not wrap.
  ImGui::TableNextRow(ImGuiTableRowFlags_Headers, headerHeight);
  for (int c = 0; c < columns; c++) {
    ImGui::TableSetColumnIndex(c);
    const std::string& name = c == 0 ? std::string("Rep") : snap.skills[from + c - 1].name;
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + (c == 0 ? repWidth : skillWidth));
    ui::wrapped(name);
    ImGui::PopTextWrapPos();
  }
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(snap.team.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; i++) {
      const auto& o = snap.team[i].overview;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(ui::fitName(o.name, repWidth).c_str());
      for (int k = from; k < to; k++) {
        ImGui::TableNextColumn();
        const std::string& skill = snap.skills[k].name;
        auto it = std::find_if(o.latestRatings.begin(), o.latestRatings.end(),
                               [&](const auto& p) { return p.first == skill; });
        if (it == o.latestRatings.end()) continue;
        ImVec4 col = ui::ratingColor(it->second);
        col.w = 0.75f;
        ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, ImGui::GetColorU32(col));
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
        ImGui::Text(" %d", it->second);
        ImGui::PopStyleColor();
      }
    }
  }
  ImGui::EndTable();
  ImGui::PopID();
}

// Reps x skills, the latest rating in each cell. Skill columns share the
// width with their names wrapped on up to two lines, never narrower than
// the longest word of a name; when the window cannot hold every skill that
// way, the skills are split over several tables, one under the other
// (nothing scrolls sideways).
void heatMap(AppModel& m, ViewState& s) {
  const Snapshot& snap = m.snapshot();
  ui::subheading("Latest rating per skill");
  if (snap.skills.empty()) {
    ui::empty("No skills in the competency model yet (Settings).");
    return;
  }
  const int skills = static_cast<int>(std::min<size_t>(snap.skills.size(), 62));
  const ImGuiStyle& style = ImGui::GetStyle();
  const float font = ImGui::GetFontSize();
  const TextWidths& widths = measured(s.memory.heatWidths, snap, font);
  const float avail = ImGui::GetContentRegionAvail().x - style.ScrollbarSize;
  const float cellPad = style.CellPadding.x * 2 + 1;
  const float repWidth = std::min({widths.longestName + font * 0.5f, font * 10, avail * 0.4f});
  const float least = std::max(widths.longestSkillWord, font * 2.5f) + font * 0.25f;
  const int perTable = std::clamp(static_cast<int>((avail - repWidth - cellPad) / (least + cellPad)), 1, skills);
  const int tables = (skills + perTable - 1) / perTable;
  const int each = (skills + tables - 1) / tables;  // the same number in each table
  const float skillWidth = std::max(least, (avail - repWidth - cellPad) / static_cast<float>(each) - cellPad);
  const float rowHeight = ImGui::GetTextLineHeight() + style.CellPadding.y * 2 + 1;
  const float headerHeight = ImGui::GetTextLineHeight() * 2 + style.CellPadding.y * 2;
  // As tall as its rows, no taller; split tables share the screen's height.
  const float rowsHeight = headerHeight + rowHeight * (static_cast<float>(snap.team.size()) + 0.5f);
  const float room =
      std::max(ImGui::GetContentRegionAvail().y / static_cast<float>(tables), headerHeight + rowHeight * 6);
  const float height = std::min(room, rowsHeight);
  for (int from = 0; from < skills; from += each)
    heatTable(snap, from, std::min(skills, from + each), repWidth, skillWidth, height);
}

// Enter in any of the three fields adds the rep, as the button does; the
// name field then takes the next one (the team stays for the next rep).
void addRepForm(AppModel& m, ViewState& s) {
  // Three fields and the button on one line while they fit, the name
  // widest; on a narrow window they flow onto the next lines.
  const float font = ImGui::GetFontSize(), avail = ImGui::GetContentRegionAvail().x;
  const float nameWidth = std::min(font * 12, avail), otherWidth = std::min(font * 9, avail);
  bool entered = false;
  ImGui::SetNextItemWidth(nameWidth);
  entered |= ui::inputSubmit("##new-rep-name", s.newRepName, "New rep's name");
  ui::nextTo(otherWidth);
  ImGui::SetNextItemWidth(otherWidth);
  entered |= ui::inputSubmit("##new-rep-team", s.newRepTeam, "Team");
  ui::nextTo(otherWidth);
  ImGui::SetNextItemWidth(otherWidth);
  entered |= ui::inputSubmit("##new-rep-territory", s.newRepTerritory, "Territory");
  ui::nextTo(ui::buttonWidth("Add rep"));
  const bool blank = s.newRepName.find_first_not_of(' ') == std::string::npos;
  ImGui::BeginDisabled(blank);
  bool add = ui::button("Add rep");
  ImGui::EndDisabled();
  if ((add || (entered && !blank)) && m.addRep(s.newRepName, s.newRepTeam, s.newRepTerritory)) {
    s.newRepName.clear();
    s.newRepTerritory.clear();
    if (entered) ui::refocus("##new-rep-name");
  }
}

}  // namespace

void team(AppModel& m, ViewState& s) {
  ui::heading(fmt::format("Team · {} reps", m.snapshot().team.size()));
  addRepForm(m, s);
  ImGui::Spacing();
  if (m.snapshot().team.empty()) {
    ui::empty("No reps yet: add the first one above.");
    return;
  }
  table(m, s);
  heatMap(m, s);
}

}  // namespace ridealong::gui::views
