// Browser code of the forecast page, served as /assets/forecast-page.js. It reads the series the
// server embedded in the page and draws it with Chart.js (served from node_modules, no CDN).
export const forecastPageScript = String.raw`
(function () {
  const payload = JSON.parse(document.getElementById('chart-data').textContent);
  const canvas = document.getElementById('pm25-chart');
  if (!canvas || !payload.series) return;
  const series = payload.series;
  const grades = payload.grades;
  // Axis labels in KST as "MM-DD HH:00", whatever the viewer's own time zone is.
  const kstParts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Seoul', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
  const kst = {
    format(date) {
      const parts = Object.fromEntries(kstParts.formatToParts(date).map((part) => [part.type, part.value]));
      return parts.month + '-' + parts.day + ' ' + parts.hour + ':00';
    },
  };
  const toPoints = (points) => points.map((point) => ({ x: point.at * 1000, y: point.pm25 }));

  const gradeBands = {
    id: 'gradeBands',
    beforeDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      ctx.save();
      for (const grade of grades) {
        const top = scales.y.getPixelForValue(Math.min(grade.to === null ? scales.y.max : grade.to + 0.5, scales.y.max));
        const bottom = scales.y.getPixelForValue(Math.max(grade.from === 0 ? 0 : grade.from - 0.5, scales.y.min));
        if (bottom <= chartArea.top || top >= chartArea.bottom) continue;
        const clippedTop = Math.max(top, chartArea.top);
        const clippedBottom = Math.min(bottom, chartArea.bottom);
        ctx.fillStyle = grade.color + '22';
        ctx.fillRect(chartArea.left, clippedTop, chartArea.right - chartArea.left, clippedBottom - clippedTop);
        ctx.fillStyle = grade.color;
        ctx.font = 'bold 13px system-ui, sans-serif';
        ctx.textAlign = 'right';
        ctx.fillText(grade.label, chartArea.right - 8, clippedTop + 16);
      }
      ctx.restore();
    },
  };

  const datasets = [
    { label: 'Observed PM2.5', data: toPoints(series.observed), borderColor: '#1f2933', backgroundColor: '#1f2933', borderWidth: 2, pointRadius: 0, tension: 0.2 },
  ];
  if (series.shortestHorizonForecasts) {
    datasets.push({
      label: 'Forecast ' + series.shortestHorizonForecasts.horizonHours + ' h ahead',
      data: toPoints(series.shortestHorizonForecasts.points),
      borderColor: '#8e44ad', backgroundColor: '#8e44ad', borderWidth: 1.5, pointRadius: 0, borderDash: [2, 3], tension: 0.2,
    });
  }
  if (series.latestForecast) {
    datasets.push({
      label: 'Latest forecast',
      data: toPoints(series.latestForecast.points),
      borderColor: '#d6336c', backgroundColor: '#d6336c', borderWidth: 3, pointRadius: 4, tension: 0.2,
    });
  }

  new Chart(canvas, {
    type: 'line',
    data: { datasets },
    plugins: [gradeBands],
    options: {
      animation: false,
      maintainAspectRatio: false,
      parsing: false,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: { type: 'linear', ticks: { maxTicksLimit: 10, callback: (value) => kst.format(new Date(value)) }, title: { display: true, text: 'KST' } },
        y: { beginAtZero: true, suggestedMax: 80, title: { display: true, text: 'PM2.5 (µg/m³)' } },
      },
      plugins: {
        legend: { position: 'top' },
        tooltip: { callbacks: { title: (items) => kst.format(new Date(items[0].parsed.x)) } },
      },
    },
  });
  document.body.dataset.chartReady = 'true';
})();
`;
