import { useEffect, useReducer, useState } from 'react';
import { api } from '../store/engine';
import { OrderWindow, type OrderFilters } from './order-window';

// The React side of OrderWindow (./order-window.ts, where the rules live and are explained):
// one window per mounted page, re-rendered whenever it changes, attached while mounted so a
// failure that lands after the page was left is not retried in the background.

export function useOrderWindow(filters: OrderFilters): OrderWindow {
  const [, bump] = useReducer((v: number) => v + 1, 0);
  const [win] = useState(() => new OrderWindow((input) => api.call('orders.list', input), bump, filters));
  // The filters of this render: `pending` and `refetch` are measured against them.
  win.setFilters(filters);
  const key = JSON.stringify(filters);

  useEffect(() => {
    win.attach();
    return () => win.detach();
  }, [win]);

  // Keyed by the filters' value: a new object with the same filters is no new query. The page
  // usually sent them already from the event that changed them; then this sends nothing.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => win.request(filters), [key, win]);

  return win;
}
