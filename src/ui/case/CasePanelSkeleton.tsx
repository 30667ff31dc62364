import { commonStrings } from "../common/strings";
import { classes } from "./styles";

function Bone({ width, height = 12 }: { width: string; height?: number }) {
  return <div className={classes.bone} style={{ width, height }} />;
}

/**
 * The panel's shape while it loads: the same blocks at the same heights, so nothing jumps.
 * Plain CSS rather than Fluent's Shimmer, which weighs ~5 KB gzipped for grey bars.
 */
export function CasePanelSkeleton() {
  return (
    <div className={classes.root} aria-busy="true" role="status" aria-label={commonStrings.loading} data-testid="case-panel-skeleton">
      <div className={classes.header}>
        <div style={{ flex: 1, display: "flex", flexDirection: "column", gap: 8 }}>
          <Bone width="40%" height={22} />
          <Bone width="55%" height={16} />
        </div>
      </div>
      {[0, 1].map((i) => (
        <div key={i} className={classes.card} style={{ minHeight: i === 0 ? 210 : 64 }}>
          <Bone width="35%" height={20} />
          <Bone width="70%" />
          {i === 0 ? (
            <>
              <Bone width="100%" />
              <Bone width="100%" />
              <Bone width="45%" height={32} />
            </>
          ) : null}
        </div>
      ))}
    </div>
  );
}
