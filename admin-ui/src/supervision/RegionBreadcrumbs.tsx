/** Where the supervisor is in the region tree: from its own region down to the one shown, each a link up. */
import { Breadcrumbs, Link, Typography } from '@mui/material';
import { useGetMany } from 'react-admin';
import { ancestry, inSubtree } from '../../../domain/regions';
import { UserText } from '../common/UserText';

export function RegionBreadcrumbs({ home, current, onPick }: { home: string; current: string; onPick: (code: string) => void }) {
  const chain = ancestry(current).filter((c) => inSubtree(c, home));
  const { data } = useGetMany<{ id: string; name: string }>('regions', { ids: chain });
  const name = (code: string) => <UserText>{data?.find((r) => r.id === code)?.name ?? code}</UserText>;
  return (
    <Breadcrumbs data-testid="region-breadcrumbs">
      {chain.map((code) =>
        code === current ? (
          <Typography key={code} color="text.primary">
            {name(code)}
          </Typography>
        ) : (
          <Link key={code} component="button" onClick={() => onPick(code)} underline="hover">
            {name(code)}
          </Link>
        ),
      )}
    </Breadcrumbs>
  );
}
