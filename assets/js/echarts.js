// ECharts with only what the dashboard draws (static/js/dashboard.js): bar and line charts
// with a grid, axis tooltips and a legend, drawn as SVG. The full build is 1 MB of script
// that a phone parses before the page settles; this one is what `npm run build:echarts`
// bundles into build/static/vendor/echarts/echarts.min.js. A new chart type or component
// in dashboard.js must be added here.
import * as echarts from "echarts/core";
import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);
window.echarts = echarts;
